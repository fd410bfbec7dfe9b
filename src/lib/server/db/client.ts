// One `db` object over two drivers: PGlite (embedded, the default) or postgres.js when
// DATABASE_URL is set. Only SQL that both run is used anywhere.
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { mkdirSync } from 'node:fs';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export type DbTarget =
	| { kind: 'pglite'; dataDir: string | null; loadDataDir?: Blob }
	| { kind: 'postgres'; url: string; max?: number };

// A live binding: modules import `db` and see the connection once `openDb` has run.
export let db: Database = undefined as unknown as Database;
let close: (() => Promise<void>) | null = null;
let pgClient: postgres.Sql | null = null;
export let dbKind: DbTarget['kind'] = 'pglite';

export async function openDb(target: DbTarget): Promise<Database> {
	if (close) throw new Error('the database is already open');
	if (target.kind === 'pglite') {
		if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
		const client = new PGlite(target.dataDir ?? undefined, { loadDataDir: target.loadDataDir });
		await client.waitReady;
		db = drizzlePglite(client, { schema }) as unknown as Database;
		close = () => client.close();
	} else {
		const client = postgres(target.url, { max: target.max ?? 10, onnotice: () => {} });
		db = drizzlePostgres(preparingAll(client), { schema }) as unknown as Database;
		pgClient = client;
		close = () => client.end({ timeout: 5 });
	}
	dbKind = target.kind;
	return db;
}

/** postgres.js sends a query that is not prepared and has parameters in two round trips (it
 *  asks for the parameter types, then binds), and drizzle prepares only the queries given a
 *  name. Preparing every query makes each one a single round trip, planned once per connection.
 *  The statements a connection keeps are bounded by the distinct query texts (few: drizzle
 *  builds the same text for the same query) and dropped when postgres.js recycles the
 *  connection (after 30 to 60 minutes). */
function preparingAll(sql: postgres.Sql): postgres.Sql {
	// Transactions and savepoints hand out their own `sql`: wrap those too.
	const wrapLast =
		(method: (...args: unknown[]) => unknown) =>
		(...args: unknown[]) => {
			const fn = args.pop() as (tx: postgres.Sql) => unknown;
			return method(...args, (tx: postgres.Sql) => fn(preparingAll(tx)));
		};
	return new Proxy(sql, {
		get(target, prop, receiver) {
			if (prop === 'unsafe')
				return (query: string, args?: unknown[], options?: postgres.UnsafeQueryOptions) =>
					target.unsafe(query, args as postgres.ParameterOrJSON<never>[], {
						...options,
						prepare: true
					});
			if (prop === 'begin' || prop === 'savepoint')
				return wrapLast(Reflect.get(target, prop, receiver).bind(target));
			return Reflect.get(target, prop, receiver);
		}
	});
}

/** A prepared statement (its SQL built once, not per call) for the busiest queries, built
 *  again for each database (tests open several in one process) and for each transaction it is
 *  run in. */
export function preparedOn<Q>(build: (on: Executor) => Q): (on?: Executor) => Q {
	const built = new WeakMap<Executor, Q>();
	return (on = db) => {
		let query = built.get(on);
		if (query === undefined) built.set(on, (query = build(on)));
		return query;
	};
}

/** Runs `fn` while holding a database-wide lock, so that several app processes starting at
 *  once (see src/cluster.js) apply migrations and load demo data one after the other. */
export async function withStartupLock<T>(fn: () => Promise<T>): Promise<T> {
	if (!pgClient) return fn(); // PGlite: one process owns the database
	const conn = await pgClient.reserve();
	try {
		await conn`select pg_advisory_lock(hashtext('xlkf:startup'))`;
		return await fn();
	} finally {
		await conn`select pg_advisory_unlock(hashtext('xlkf:startup'))`.catch(() => {});
		conn.release();
	}
}

export async function closeDb(): Promise<void> {
	const done = close;
	close = null;
	pgClient = null;
	if (done) await done();
}

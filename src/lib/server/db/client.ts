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
		db = drizzlePostgres(client, { schema }) as unknown as Database;
		pgClient = client;
		close = () => client.end({ timeout: 5 });
	}
	dbKind = target.kind;
	return db;
}

/** A prepared statement (planned once per connection, not per call) for the busiest queries,
 *  built again when `db` changes (tests open several databases in one process). */
export function preparedOn<Q>(build: (on: Database) => Q): () => Q {
	let cached: { on: Database; query: Q } | null = null;
	return () => {
		if (cached?.on !== db) cached = { on: db, query: build(db) };
		return cached.query;
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

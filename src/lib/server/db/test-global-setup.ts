// Vitest global setup: on PGlite, migrate one database and hand every test file a snapshot of it
// to start from. Creating a PGlite database runs initdb (1–2 s); loading a snapshot takes a
// fraction of that, which adds up over every test file. PostgreSQL runs need none of it.
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { closeDb, db, openDb } from './client';
import { migrateDb } from './migrate';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteSnapshot: string | null;
	}
}

export default async function setup(project: TestProject) {
	if (process.env.TEST_DATABASE_URL) {
		project.provide('pgliteSnapshot', null);
		return;
	}
	await openDb({ kind: 'pglite', dataDir: null });
	await migrateDb();
	const client = (db as unknown as { $client: PGlite }).$client;
	const dump = await client.dumpDataDir('none');
	await closeDb();
	const dir = mkdtempSync(join(tmpdir(), 'pglite-snapshot-'));
	const file = join(dir, 'migrated.tar');
	writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
	project.provide('pgliteSnapshot', file);
	return () => rmSync(dir, { recursive: true, force: true });
}

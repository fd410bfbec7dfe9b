// Every test file gets its own fresh, migrated database: in-process PGlite by default (from a
// snapshot, see test-global-setup.ts), or a new database on the PostgreSQL server named by
// TEST_DATABASE_URL (the CI run sets it).
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { closeDb, openDb } from './client';
import { migrateDb } from './migrate';

const serverUrl = process.env.TEST_DATABASE_URL;
let dropDatabase: (() => Promise<void>) | null = null;

beforeAll(async () => {
	if (serverUrl) {
		const name = `test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
		const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(serverUrl);
		url.pathname = `/${name}`;
		await openDb({ kind: 'postgres', url: url.toString(), max: 4 });
		dropDatabase = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		};
	} else {
		// Started from the migrated snapshot made by test-global-setup.ts, when there is one.
		const snapshot = inject('pgliteSnapshot');
		await openDb({
			kind: 'pglite',
			dataDir: null,
			loadDataDir: snapshot ? new Blob([readFileSync(snapshot)]) : undefined
		});
	}
	await migrateDb();
});

afterAll(async () => {
	await closeDb();
	await dropDatabase?.();
});

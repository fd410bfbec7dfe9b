// Every test file gets its own fresh, migrated database: in-process PGlite by default, or a
// new database on the PostgreSQL server named by TEST_DATABASE_URL (the CI run sets it).
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
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
		await openDb({ kind: 'pglite', dataDir: null });
	}
	await migrateDb();
});

afterAll(async () => {
	await closeDb();
	await dropDatabase?.();
});

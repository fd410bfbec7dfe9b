// Opens the configured database for a command-line script, the same way the server does.
import { join } from 'node:path';
import { config } from '../config';
import { closeDb, openDb } from '../db/client';
import { migrateDb } from '../db/migrate';

export async function withDatabase(run: () => Promise<void>): Promise<void> {
	if (config.databaseUrl) await openDb({ kind: 'postgres', url: config.databaseUrl, max: 2 });
	else await openDb({ kind: 'pglite', dataDir: join(config.dataDir, 'pglite') });
	try {
		await migrateDb();
		await run();
	} finally {
		await closeDb();
	}
}

export function flag(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	if (i >= 0) return process.argv[i + 1];
	const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
	return eq?.slice(name.length + 3);
}

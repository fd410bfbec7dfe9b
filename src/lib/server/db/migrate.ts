import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { resolve } from 'node:path';
import { db, dbKind } from './client';

export const migrationsFolder = resolve(process.env.MIGRATIONS_DIR || 'migrations');

/** Applies the pending migrations in `migrations/`; safe to run at every start. */
export async function migrateDb(): Promise<void> {
	if (dbKind === 'pglite')
		await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
	else await migratePostgres(db as unknown as PostgresJsDatabase, { migrationsFolder });
}

// Runtime settings, read from the environment once. Domain code imports this module rather
// than `$env` so the same code runs under the CLI scripts (tsx) and the tests.
import { resolve } from 'node:path';

function intFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value <= 0)
		throw new Error(`${name} must be a positive integer, got "${raw}"`);
	return value;
}

const DAY = 24 * 60 * 60 * 1000;

export const config = {
	/** postgres://… to use a PostgreSQL server; unset for the embedded PGlite database. */
	databaseUrl: process.env.DATABASE_URL || undefined,
	/** Where the embedded database and uploaded files live. */
	dataDir: resolve(process.env.DATA_DIR || 'data'),
	/** Load demo accounts and a demo cohort when the embedded database is empty. */
	demoData: process.env.DEMO_DATA === '1' || process.env.DEMO_DATA === 'true',
	session: {
		/** Idle timeout: a session not used for this long ends (sliding renewal). */
		idleMs: intFromEnv('SESSION_IDLE_DAYS', 7) * DAY,
		/** Absolute lifetime: no renewal goes past this, counted from sign-in. */
		absoluteMs: intFromEnv('SESSION_MAX_DAYS', 30) * DAY
	},
	throttle: {
		accountFailures: intFromEnv('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5),
		ipFailures: intFromEnv('LOGIN_MAX_FAILURES_PER_IP', 30),
		windowMs: intFromEnv('LOGIN_WINDOW_MINUTES', 15) * 60 * 1000,
		lockMs: intFromEnv('LOGIN_LOCK_MINUTES', 15) * 60 * 1000
	}
};

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

export type AsrConfig = {
	/** Base URL of an OpenAI-compatible server; requests go to `${url}/v1/audio/transcriptions`. */
	url: string;
	model: string;
	apiKey: string | undefined;
	/** One request's limit: a long call on a CPU-only Whisper server takes minutes. */
	timeoutMs: number;
	/** Tries before a job is marked failed (transient errors only; a refusal fails at once). */
	maxAttempts: number;
	/** First retry delay; doubled for each later try. */
	backoffMs: number;
	/** Jobs in flight per server process (1–2: a transcription server is usually one GPU). */
	concurrency: number;
};

function asrFromEnv(): AsrConfig | null {
	const raw = process.env.ASR_URL?.trim();
	if (!raw) return null;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(`ASR_URL must be an http(s) URL, got "${raw}"`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new Error(`ASR_URL must be an http(s) URL, got "${raw}"`);
	return {
		// "https://api.openai.com" and "https://api.openai.com/v1" both mean the same server.
		url: url.toString().replace(/\/+$/, '').replace(/\/v1$/, ''),
		model: process.env.ASR_MODEL?.trim() || 'whisper-1',
		apiKey: process.env.ASR_API_KEY || undefined,
		timeoutMs: intFromEnv('ASR_TIMEOUT_SECONDS', 600) * 1000,
		maxAttempts: intFromEnv('ASR_MAX_ATTEMPTS', 4),
		backoffMs: intFromEnv('ASR_RETRY_SECONDS', 30) * 1000,
		concurrency: Math.min(2, intFromEnv('ASR_CONCURRENCY', 1))
	};
}

export const config = {
	/** postgres://… to use a PostgreSQL server; unset for the embedded PGlite database. */
	databaseUrl: process.env.DATABASE_URL || undefined,
	/** PostgreSQL connections per server process (queries are pipelined on each). */
	databasePool: intFromEnv('DATABASE_POOL', 10),
	/** Autosave statements one server process runs at once; the autosaves arriving meanwhile go
	 *  together in the next statement (db/batcher.ts). */
	autosaveStatements: intFromEnv('AUTOSAVE_STATEMENTS', 2),
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
	},
	/** Speech-to-text for mock-call recordings when ASR_URL is set; null: recordings are not
	 *  transcribed automatically (examiners type or upload transcripts). */
	asr: asrFromEnv()
};

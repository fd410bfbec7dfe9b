// Opens the database, applies migrations and (when asked) loads demo data, once per process.
import { config } from './config';
import { closeDb, openDb, withStartupLock } from './db/client';
import { migrateDb } from './db/migrate';
import { join } from 'node:path';

let started: Promise<void> | null = null;

export function startApp(): Promise<void> {
	started ??= (async () => {
		const t0 = performance.now();
		if (config.databaseUrl)
			await openDb({ kind: 'postgres', url: config.databaseUrl, max: config.databasePool });
		else await openDb({ kind: 'pglite', dataDir: join(config.dataDir, 'pglite') });
		await withStartupLock(async () => {
			await migrateDb();
			if (config.demoData) {
				const { seedDemoIfEmpty } = await import('./demo/seed');
				await seedDemoIfEmpty();
			}
		});
		const where = config.databaseUrl
			? 'PostgreSQL (DATABASE_URL)'
			: `embedded PGlite in ${config.dataDir}`;
		console.log(`database ready: ${where}, ${Math.round(performance.now() - t0)} ms`);
		// Attempts whose time ran out while nobody had them open are submitted with what was saved.
		const { submitOverdueAttempts } = await import('./attempts/attempts');
		const sweep = setInterval(
			() => void submitOverdueAttempts().catch((e) => console.error('overdue sweep failed', e)),
			30_000
		);
		sweep.unref();
		// Speech-to-text for mock-call recordings, in the background, when ASR_URL is set.
		let transcriber: { stop(): Promise<void> } | null = null;
		if (config.asr) {
			const { startTranscriptionWorker } = await import('./asr/worker');
			transcriber = startTranscriptionWorker(config.asr);
			console.log(`speech-to-text: ${new URL(config.asr.url).origin} (${config.asr.model})`);
		}
		// The embedded database must be closed, or the process never exits; the transcriber first
		// (it hands its unfinished jobs back to the queue).
		process.once('sveltekit:shutdown', () => {
			clearInterval(sweep);
			// A worker of src/cluster.js also lets go of its channel to the primary, or it never ends.
			void (transcriber?.stop() ?? Promise.resolve())
				.finally(() => closeDb())
				.finally(() => {
					if (process.connected) process.disconnect?.();
				});
		});
	})();
	return started;
}

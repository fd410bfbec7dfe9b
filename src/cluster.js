// Starts the built app (build/index.js) in WEB_CONCURRENCY processes that share one port, so a
// server with several cores uses them all: Node runs JavaScript on one core per process, and on
// exam day rendering and checking requests, not the database, is what fills a core first.
//   WEB_CONCURRENCY=2 DATABASE_URL=postgres://… node src/cluster.js
// WEB_CONCURRENCY: a number, or "auto" for one process per core; default 1 (no cluster).
// Only with PostgreSQL: the embedded PGlite database belongs to one process.
// Every process applies pending migrations under a database lock (see db/client.ts), runs the
// overdue-attempt sweep (safe from several processes) and keeps nothing between requests that
// the others would need: sessions, throttles and attempts all live in the database.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';

const raw = process.env.WEB_CONCURRENCY ?? '1';
const wanted = raw === 'auto' ? availableParallelism() : Number(raw);
if (!Number.isInteger(wanted) || wanted < 1 || wanted > 64)
	throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64 or "auto", got "${raw}"`);
const entry = process.env.APP_ENTRY ?? new URL('../build/index.js', import.meta.url).href;

if (!cluster.isPrimary || wanted === 1) {
	await import(entry);
} else if (!process.env.DATABASE_URL) {
	console.warn('WEB_CONCURRENCY is ignored without DATABASE_URL: PGlite runs in one process.');
	await import(entry);
} else {
	// Each worker accepts its own connections (the kernel spreads them), rather than the
	// primary accepting everything and handing sockets over.
	cluster.schedulingPolicy = cluster.SCHED_NONE;
	// Requests allocate many short-lived objects: a larger young generation means fewer
	// collections (about 5% less CPU per exam page) for up to ~100 MB more per process.
	cluster.setupPrimary({ execArgv: [...process.execArgv, '--max-semi-space-size=32'] });
	let stopping = false;
	const started = new Map();
	const fork = () => started.set(cluster.fork().id, Date.now());
	for (let i = 0; i < wanted; i++) fork();
	cluster.on('exit', (worker, code, signal) => {
		const livedMs = Date.now() - (started.get(worker.id) ?? 0);
		started.delete(worker.id);
		if (stopping) {
			if (started.size === 0) process.exit(0);
			return;
		}
		console.error(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
		// A worker that dies at once (bad config, database down) is not restarted in a tight loop.
		setTimeout(fork, livedMs < 5000 ? 5000 : 0);
	});
	for (const sig of /** @type {const} */ (['SIGTERM', 'SIGINT']))
		process.on(sig, () => {
			stopping = true;
			for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
			if (started.size === 0) process.exit(0);
		});
}

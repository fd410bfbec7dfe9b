// Shared pieces of the exam-day benchmark: an HTTP client over node:http (loopback only), an
// open-loop scheduler that measures latency from the *intended* send time, and statistics.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export const LOOPBACK = '127.0.0.1';

/** What Chromium offers over https, which the app needs off loopback (its session cookie is
 *  Secure there): the load generator asks as the trainees' browsers would. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** The attempt's own address, from the form the test page posts to. */
export function attemptPathOf(html) {
	return /<form\b[^>]*\baction="(\/attempts\/[0-9a-f-]{36})\?\/save"/.exec(html)?.[1] ?? null;
}

/** A response body as the browser reads it (the bytes on the wire decoded). */
export function decodedBody(headers, body) {
	const encoding = headers['content-encoding'];
	if (encoding === 'gzip') return gunzipSync(body);
	if (encoding === 'br') return brotliDecompressSync(body);
	return body;
}

/** Environment number with a default (BENCH_* knobs). */
export function envNum(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < 0)
		throw new Error(`${name} must be a non-negative number, got "${raw}"`);
	return n;
}

export function makeAgent() {
	// Keep-alive like a browser; Node ≥19 honours the server's Keep-Alive timeout hint, so an idle
	// socket is dropped by the client before the server closes it.
	return new http.Agent({
		keepAlive: true,
		maxSockets: envNum('BENCH_SOCKETS', 1024),
		maxFreeSockets: 1024,
		scheduling: 'lifo'
	});
}

/** Counted for the report: requests sent again after a kept-alive socket was reset. */
export const clientStats = { reusedSocketRetries: 0 };

/**
 * One HTTP request to 127.0.0.1:port. Resolves (never rejects) with
 * { status, headers, body: Buffer (decoded when `decode`), bytes (on the wire), error? }.
 */
export function request(
	agent,
	port,
	{ method = 'GET', path, headers = {}, body = null, timeoutMs = 30_000, decode = false },
	retry = true
) {
	return new Promise((resolve) => {
		let done = false;
		const finish = (r) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			resolve(r);
		};
		const data = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
		const req = http.request(
			{
				host: LOOPBACK,
				port,
				method,
				path,
				agent,
				headers: data ? { ...headers, 'content-length': data.length } : headers
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					let buf = Buffer.concat(chunks);
					const bytes = buf.length;
					if (decode) {
						try {
							buf = decodedBody(res.headers, buf);
						} catch (e) {
							return finish({
								status: 0,
								headers: res.headers,
								body: buf,
								bytes,
								error: `decode: ${e.message}`
							});
						}
					}
					finish({ status: res.statusCode, headers: res.headers, body: buf, bytes });
				});
				res.on('error', (e) =>
					finish({
						status: 0,
						headers: {},
						body: Buffer.alloc(0),
						bytes: 0,
						error: e.code || e.message
					})
				);
			}
		);
		const timer = setTimeout(() => {
			req.destroy(new Error('timeout'));
			finish({ status: 0, headers: {}, body: Buffer.alloc(0), bytes: 0, error: 'timeout' });
		}, timeoutMs);
		req.on('error', (e) => {
			// A kept-alive socket the server closed just as this request went out: nothing reached
			// the app, and browsers send the request again on a fresh connection; so do we, once
			// (Node's documented pattern; the latency still counts from the first try).
			if (retry && req.reusedSocket && e.code === 'ECONNRESET' && !done) {
				clientStats.reusedSocketRetries++;
				clearTimeout(timer);
				done = true;
				// agent false: a connection of its own, not another pooled one that may be as stale.
				resolve(request(false, port, { method, path, headers, body, timeoutMs, decode }, false));
				return;
			}
			finish({
				status: 0,
				headers: {},
				body: Buffer.alloc(0),
				bytes: 0,
				error: e.code || e.message
			});
		});
		if (data) req.write(data);
		req.end();
	});
}

/** Latency/outcome recorder for one measured operation. */
export class Recorder {
	constructor(name) {
		this.name = name;
		this.lat = [];
		this.ok = 0;
		this.errors = { http4xx: 0, http5xx: 0, network: 0, timeout: 0, app: 0 };
		this.errorSamples = [];
		this.first = Infinity;
		this.last = 0;
	}
	/** `outcome`: 'ok' or an error kind; `latency` from the intended send time, ms. */
	add(latency, outcome, sample) {
		this.lat.push(latency);
		if (outcome === 'ok') this.ok++;
		else {
			this.errors[outcome] = (this.errors[outcome] ?? 0) + 1;
			if (sample && this.errorSamples.length < 5) this.errorSamples.push(sample);
		}
	}
	get count() {
		return this.lat.length;
	}
	get errorCount() {
		return Object.values(this.errors).reduce((a, b) => a + b, 0);
	}
	summary(extra = {}) {
		const s = [...this.lat].sort((a, b) => a - b);
		const pct = (p) =>
			s.length ? round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]) : null;
		return {
			name: this.name,
			count: s.length,
			ok: this.ok,
			errors: this.errorCount,
			errorKinds: Object.fromEntries(Object.entries(this.errors).filter(([, v]) => v)),
			errorSamples: this.errorSamples,
			p50: pct(50),
			p90: pct(90),
			p95: pct(95),
			p99: pct(99),
			max: s.length ? round(s[s.length - 1]) : null,
			mean: s.length ? round(s.reduce((a, b) => a + b, 0) / s.length) : null,
			...extra
		};
	}
}

export const round = (x, d = 1) =>
	x === null || x === undefined || Number.isNaN(x) ? x : Math.round(x * 10 ** d) / 10 ** d;

/** Classifies a response from `request`. */
export function outcomeOf(r, okStatuses = [200]) {
	if (r.error === 'timeout') return 'timeout';
	if (r.error) return 'network';
	if (r.status >= 500) return 'http5xx';
	if (!okStatuses.includes(r.status)) return 'http4xx';
	return 'ok';
}

/**
 * Open loop: fires `fire(event)` at each event's intended time `t` (ms from start, sorted),
 * whether or not earlier requests have finished. `fire` returns a promise; the caller measures
 * latency from `event.intended` (performance.now() value) which this sets. Resolves when every
 * request has settled. Reports the worst dispatch lag (how late the generator itself was).
 */
export async function openLoop(events, fire) {
	const start = performance.now() + 20;
	let i = 0;
	let maxLag = 0;
	const pending = new Set();
	await new Promise((resolveAll) => {
		const tick = () => {
			const now = performance.now();
			while (i < events.length && start + events[i].t <= now) {
				const ev = events[i++];
				ev.intended = start + ev.t;
				maxLag = Math.max(maxLag, now - ev.intended);
				const p = Promise.resolve(fire(ev)).catch((e) => console.error('bench: fire failed', e));
				pending.add(p);
				p.finally(() => pending.delete(p));
			}
			if (i < events.length)
				setTimeout(tick, Math.max(0, Math.min(5, start + events[i].t - performance.now() - 0.5)));
			else resolveAll();
		};
		tick();
	});
	await Promise.all([...pending]);
	return {
		maxDispatchLagMs: round(maxLag),
		wallSeconds: round((performance.now() - start) / 1000, 2)
	};
}

/** Evenly spaced arrivals at `rate` per second for `seconds`. */
export function constantRate(rate, seconds) {
	const n = Math.max(1, Math.round(rate * seconds));
	return Array.from({ length: n }, (_, k) => ({ t: (k * 1000) / rate, k }));
}

/** Canonical JSON (object keys sorted), to compare values that went through jsonb. */
export function canonical(value) {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	return `{${Object.keys(value)
		.sort()
		.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
		.join(',')}}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Deterministic PRNG (mulberry32) so runs are comparable. */
export function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Maximum sustainable open-loop rate: a short closed-loop run finds the ballpark, then
 * open-loop steps around it; a step is sustained when it has 0 errors, p99 ≤ `p99Ms` and the
 * completions keep up with the offered rate. Returns the highest sustained step.
 * `fireOne()` sends one request and resolves to an outcome kind ('ok' or an error kind).
 */
export async function probeMaxRate({
	fireOne,
	label,
	stepSeconds = 4,
	p99Ms = 150,
	closedConcurrency = 32,
	closedSeconds = 3,
	maxRate = 50_000,
	log = console.log,
	cpuPids = {},
	budgetSeconds = 60
}) {
	// 1. closed loop: `closedConcurrency` workers back to back; CPU cost per request on the side.
	let done = 0;
	const cpuNames = Object.keys(cpuPids).filter((k) => cpuPids[k]);
	const cpu0 = treeCpuMs(cpuNames.map((k) => cpuPids[k]));
	const t0 = performance.now();
	const until = t0 + closedSeconds * 1000;
	await Promise.all(
		Array.from({ length: closedConcurrency }, async () => {
			while (performance.now() < until) {
				await fireOne();
				done++;
			}
		})
	);
	const closedRate = done / ((performance.now() - t0) / 1000);
	const cpu1 = treeCpuMs(cpuNames.map((k) => cpuPids[k]));
	const cpuMsPerRequest = Object.fromEntries(
		cpuNames.map((k, i) => [k, round((cpu1[i] - cpu0[i]) / done, 3)])
	);
	log(
		`  ${label}: closed loop (${closedConcurrency} concurrent) ${Math.round(closedRate)}/s; CPU ms per request ${JSON.stringify(cpuMsPerRequest)}`
	);
	// 2. open-loop steps from 50 % of the closed-loop rate upwards (downwards when 50 % already
	//    fails); a failed step is retried once, so one hiccup does not end the probe.
	const up = [0.5, 0.65, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0];
	const down = [0.35, 0.25, 0.15, 0.1, 0.05];
	const steps = [];
	let best = null;
	const runStep = async (rate) => {
		const rec = new Recorder(`${label}@${rate}`);
		const c0 = treeCpuMs(cpuNames.map((k) => cpuPids[k]));
		const g0 = process.cpuUsage();
		const loop = await openLoop(constantRate(rate, stepSeconds), async (ev) => {
			const outcome = await fireOne();
			rec.add(performance.now() - ev.intended, outcome);
		});
		const c1 = treeCpuMs(cpuNames.map((k) => cpuPids[k]));
		const g1 = process.cpuUsage(g0);
		const s = rec.summary({ ...loop });
		// CPU per request at this rate: what the cost is near saturation, where the closed loop's
		// figure may not hold (batching, contention); the load generator's own share included.
		const cpuAtStep = Object.fromEntries([
			...cpuNames.map((k, i) => [k, round((c1[i] - c0[i]) / Math.max(1, s.count), 3)]),
			['loadGenerator', round((g1.user + g1.system) / 1000 / Math.max(1, s.count), 3)]
		]);
		const sustained =
			s.errors === 0 &&
			s.p99 !== null &&
			s.p99 <= p99Ms &&
			loop.wallSeconds <= stepSeconds * 1.1 + p99Ms / 1000;
		steps.push({
			offered: rate,
			p50: s.p50,
			p95: s.p95,
			p99: s.p99,
			errors: s.errors,
			wallSeconds: loop.wallSeconds,
			cpuMsPerRequest: cpuAtStep,
			sustained
		});
		log(
			`  ${label}: ${rate}/s → p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms, errors ${s.errors}; CPU ms/request ${JSON.stringify(cpuAtStep)}${sustained ? '' : '  ✗'}`
		);
		await sleep(300);
		return sustained;
	};
	const rateOf = (f) => Math.min(maxRate, Math.max(5, Math.round(closedRate * f)));
	const budgetEnd = performance.now() + budgetSeconds * 1000;
	const inBudget = () => performance.now() < budgetEnd;
	for (const [i, f] of up.entries()) {
		const rate = rateOf(f);
		const ok = (await runStep(rate)) || (inBudget() && (await runStep(rate)));
		if (!ok) {
			if (i === 0)
				for (const g of down) {
					if (await runStep(rateOf(g))) {
						best = rateOf(g);
						break;
					}
				}
			break;
		}
		best = rate;
		if (rate >= maxRate || !inBudget()) break;
	}
	return {
		label,
		closedLoopRate: Math.round(closedRate),
		cpuMsPerRequest,
		maxSustainedRate: best ?? 0,
		criterion: `0 errors, p99 ≤ ${p99Ms} ms, ${stepSeconds} s steps`,
		steps
	};
}

/** The pid and all its descendants (e.g. a cluster primary and its workers). */
export function treePids(root) {
	const parent = new Map();
	try {
		for (const d of readdirSync('/proc')) {
			if (!/^\d+$/.test(d)) continue;
			try {
				const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
				parent.set(Number(d), Number(raw.slice(raw.lastIndexOf(')') + 2).split(' ')[1]));
			} catch {
				/* exited meanwhile */
			}
		}
	} catch {
		return [root];
	}
	const out = [root];
	for (const [pid] of parent)
		for (let q = parent.get(pid), i = 0; q && q > 1 && i < 64; q = parent.get(q), i++)
			if (q === root) {
				out.push(pid);
				break;
			}
	return out;
}

/** Every process: its parent, its own CPU ms and with its waited-for children's (USER_HZ = 100). */
function processCpu() {
	const procs = new Map();
	let names;
	try {
		names = readdirSync('/proc');
	} catch {
		return procs;
	}
	for (const d of names) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
			const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
			const own = (Number(f[11]) + Number(f[12])) * 10;
			procs.set(Number(d), {
				ppid: Number(f[1]),
				ownMs: own,
				withChildrenMs: own + (Number(f[13]) + Number(f[14])) * 10
			});
		} catch {
			/* exited meanwhile */
		}
	}
	return procs;
}

/** CPU time (ms) used so far by the processes under each root pid (the root itself and its
 *  live descendants, plus what they reaped from exited children). Linux /proc; 0 elsewhere. */
export function treeCpuMs(roots) {
	const procs = processCpu();
	const totals = roots.map(() => 0);
	for (const [pid, p] of procs) {
		for (let q = pid, i = 0; q > 1 && i < 64; q = procs.get(q)?.ppid ?? 0, i++) {
			const k = roots.indexOf(q);
			if (k >= 0) {
				totals[k] += p.withChildrenMs;
				break;
			}
		}
	}
	return totals;
}

/** CPU (ms) of each direct child of `pid` (the workers of a cluster), by child pid. */
export function childCpuMs(pid) {
	const out = new Map();
	for (const [child, p] of processCpu()) if (p.ppid === pid) out.set(child, p.ownMs);
	return out;
}

/** A free loopback port. */
export function freePort() {
	return new Promise((res, rej) => {
		const s = createServer();
		s.listen(0, LOOPBACK, () => {
			const { port } = s.address();
			s.close(() => res(port));
		});
		s.on('error', rej);
	});
}

function newestMtime(dir) {
	let newest = 0;
	const walk = (d) => {
		for (const name of readdirSync(d)) {
			if (name === 'node_modules' || name.startsWith('.')) continue;
			const p = join(d, name);
			const s = statSync(p);
			if (s.isDirectory()) walk(p);
			else newest = Math.max(newest, s.mtimeMs);
		}
	};
	if (existsSync(dir)) walk(dir);
	return newest;
}

/** Whether build/ is missing or older than the sources it is built from. */
export function buildIsStale() {
	const built = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
	const sources = Math.max(
		...['src', 'content', 'migrations'].map(newestMtime),
		...['svelte.config.js', 'vite.config.ts', 'package.json']
			.filter(existsSync)
			.map((f) => statSync(f).mtimeMs)
	);
	return built === 0 || sources > built;
}

/** A private copy of build/ (under node_modules/.cache: its imports resolve there), so a
 *  colleague's build during a run cannot swap files under the running server. */
export function privateBuildCopy(name) {
	const copy = join('node_modules/.cache', name);
	rmSync(copy, { recursive: true, force: true });
	cpSync('build', copy, { recursive: true });
	return copy;
}

/** BENCH_APP_ENV="K=V,K=V": extra environment for the app server (experiments). */
export function appEnvFromEnv() {
	return Object.fromEntries(
		(process.env.BENCH_APP_ENV ?? '')
			.split(',')
			.filter(Boolean)
			.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
	);
}

/** Functions run once, last added first, when the process ends or is interrupted (throwaway
 *  databases, servers, temporary folders). `onSignal` runs first on SIGINT/SIGTERM/SIGHUP. */
export function cleanupOnExit(onSignal = () => {}) {
	const cleanups = [];
	const cleanup = () => {
		for (const f of cleanups.splice(0).reverse()) {
			try {
				f();
			} catch {
				/* best effort */
			}
		}
	};
	process.on('exit', cleanup);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
		process.on(sig, () => {
			onSignal(sig);
			cleanup();
			process.exit(130);
		});
	return { cleanups, cleanup };
}

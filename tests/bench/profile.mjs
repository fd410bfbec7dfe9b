// Profiles one request type alone against `node --cpu-prof build`, on a throwaway PostgreSQL
// (fsync on) with BENCH_N trainees (default 200):
//   node tests/bench/profile.mjs autosave   closed-loop autosaves (BENCH_CONCURRENCY, default 32) for BENCH_SECONDS (20)
//   node tests/bench/profile.mjs start      every trainee starts the test (answered with the test), BENCH_CONCURRENCY at a time
//   node tests/bench/profile.mjs page       attempt pages (GET /attempts/<id>) for BENCH_SECONDS
//   node tests/bench/profile.mjs exam       the exam's page with the start button (GET /exams/<slug>)
//   node tests/bench/profile.mjs submit     every trainee submits as the exam script does (after one autosave each)
//   node tests/bench/profile.mjs teacher    the homeroom teacher's cohort page, sequentially, for BENCH_SECONDS
// Prints the CPU per request of the server and of PostgreSQL, pg_stat_statements (planning +
// execution per call) and the profile summary. Uses the existing build/ (BENCH_BUILD_DIR to
// point elsewhere, e.g. a patched copy of the app; BENCH_PROFILE=0 runs without the profiler).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startPostgres } from '../support/postgres-server.mjs';
import {
	appEnvFromEnv,
	attemptPathOf,
	BROWSER_ACCEPT_ENCODING,
	envNum,
	makeAgent,
	outcomeOf,
	request,
	round,
	sleep,
	treeCpuMs
} from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(ROOT);
const KIND = process.argv[2] ?? 'autosave';
if (!['autosave', 'start', 'page', 'exam', 'submit', 'teacher'].includes(KIND))
	throw new Error(`unknown kind ${KIND}`);
const BUILD = resolve(process.env.BENCH_BUILD_DIR ?? 'build');
const appEnv = appEnvFromEnv();
const N = envNum('BENCH_N', 200);
const SECONDS = envNum('BENCH_SECONDS', 20);
const CONC = envNum('BENCH_CONCURRENCY', 32);
// BENCH_PROFILE=0: no --cpu-prof (the profiler's own cost out of the CPU per request).
const PROFILE = process.env.BENCH_PROFILE !== '0';
const RESULTS = join(ROOT, 'tests/bench/results');
const profDir = join(RESULTS, `prof-${KIND}-${Date.now()}`);
mkdirSync(PROFILE ? profDir : RESULTS, { recursive: true });

const pg = await startPostgres({ fsync: true });
let app = null;
const stopAll = () => {
	if (app && app.exitCode === null) app.kill('SIGKILL');
	pg.stop();
};
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
try {
	const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
	const [{ data_directory: dataDir }] = await admin`show data_directory`;
	await admin.unsafe(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
	await admin.end();
	const asPg = (args) =>
		execFileSync(
			process.getuid?.() === 0 ? 'runuser' : join(pg.bin, 'pg_ctl'),
			process.getuid?.() === 0 ? ['-u', 'postgres', '--', join(pg.bin, 'pg_ctl'), ...args] : args,
			{ stdio: 'ignore' }
		);
	asPg(['-D', dataDir, '-l', join(dirname(dataDir), 'log'), '-m', 'fast', '-w', 'restart']);
	const postmasterPid = Number(
		readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]
	);
	const sql0 = postgres(pg.url, { max: 1, onnotice: () => {} });
	await sql0.unsafe(`alter system set pg_stat_statements.track_planning = on`);
	await sql0`select pg_reload_conf()`;
	await sql0`create database bench_app`;
	await sql0.end();
	const url = pg.url.replace(/\/postgres$/, '/bench_app');
	const seedFile = join(RESULTS, '.seed-profile.json');
	execFileSync('npx', ['tsx', 'tests/bench/seed.ts', '--n', String(N), '--out', seedFile], {
		stdio: 'inherit',
		env: { ...process.env, DATABASE_URL: url }
	});
	const seed = JSON.parse(readFileSync(seedFile, 'utf8'));
	const port = await new Promise((res) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const p = s.address().port;
			s.close(() => res(p));
		});
	});
	app = spawn(
		process.execPath,
		[
			...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
			'--max-semi-space-size=32',
			// Extra V8/Node flags for experiments, as in run.mjs.
			...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
			join(BUILD, 'index.js')
		],
		{
			env: {
				PATH: process.env.PATH,
				NODE_ENV: 'production',
				PORT: String(port),
				HOST: '127.0.0.1',
				ORIGIN: `http://127.0.0.1:${port}`,
				DATABASE_URL: url,
				...appEnv
			},
			stdio: 'ignore'
		}
	);
	for (let i = 0; i < 240; i++) {
		if ((await request(undefined, port, { path: '/login', timeoutMs: 1000 })).status === 200) break;
		await sleep(250);
	}
	const agent = makeAgent();
	const origin = `http://127.0.0.1:${port}`;
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	await sql`create extension if not exists pg_stat_statements`;
	const startOne = async (t) => {
		const r = await request(agent, port, {
			method: 'POST',
			path: `/exams/${seed.examSlug}/start`,
			headers: {
				cookie: `session=${t.token}`,
				origin,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				'accept-encoding': BROWSER_ACCEPT_ENCODING
			},
			body: '',
			decode: true
		});
		const path = outcomeOf(r) === 'ok' && attemptPathOf(r.body.toString());
		return path ? { token: t.token, id: path.slice('/attempts/'.length) } : null;
	};
	const attempts = [];
	if (!['start', 'exam', 'teacher'].includes(KIND))
		for (const t of seed.trainees) attempts.push(await startOne(t));
	const items = new Map(
		(await sql`select id::text, item_ids from attempts`).map((r) => [r.id, r.item_ids])
	);
	const seqs = new Map();
	const saveOne = async (a, k) => {
		const ids = items.get(a.id);
		const itemId = ids[k % ids.length];
		const key = `${a.id}/${itemId}`;
		const seq = (seqs.get(key) ?? 0) + 1;
		seqs.set(key, seq);
		return request(agent, port, {
			method: 'POST',
			path: `/attempts/${a.id}/responses`,
			headers: {
				cookie: `session=${a.token}`,
				origin,
				'content-type': 'application/json',
				'accept-encoding': BROWSER_ACCEPT_ENCODING
			},
			body: JSON.stringify({ itemId, value: `答案 ${seq}`, seq })
		});
	};
	// WAL written and how many updates of responses were HOT (no index entry, page-local).
	const walAndUpdates = async () => {
		await sql`select pg_stat_clear_snapshot()`;
		const [w] =
			await sql`select wal_bytes::float as bytes, wal_fpi::float as fpi, wal_sync::float as syncs from pg_stat_wal`;
		const [t] =
			await sql`select coalesce(sum(n_tup_upd), 0)::float as upd, coalesce(sum(n_tup_hot_upd), 0)::float as hot
			from pg_stat_user_tables where relname = 'responses'`;
		return { ...w, ...t };
	};
	if (KIND === 'submit') for (const [k, a] of attempts.entries()) await saveOne(a, k);
	await sql`select pg_stat_statements_reset()`;
	const wal0 = await walAndUpdates();
	let done = 0;
	let errors = 0;
	const [c0, p0] = treeCpuMs([app.pid, postmasterPid]);
	const t0 = performance.now();
	const until = t0 + SECONDS * 1000;
	// A page as a browser asks for it (the teacher's cohort grid may take long on a big cohort).
	const pageOk = async (path, token) =>
		outcomeOf(
			await request(agent, port, {
				path,
				headers: { cookie: `session=${token}`, 'accept-encoding': BROWSER_ACCEPT_ENCODING },
				timeoutMs: 120_000
			})
		) === 'ok';
	if (KIND === 'page') {
		// What one page weighs, as sent and as rendered (the rendering, hashing and gzip scale with it).
		const a = attempts[0];
		const path = `/attempts/${a.id}`;
		const [raw, gz] = await Promise.all(
			['identity', BROWSER_ACCEPT_ENCODING].map((enc) =>
				request(agent, port, {
					path,
					headers: { cookie: `session=${a.token}`, 'accept-encoding': enc }
				})
			)
		);
		console.log(
			`attempt page: ${raw.body.length} B of HTML, ${gz.body.length} B ${gz.headers['content-encoding']}`
		);
		if (process.env.BENCH_DUMP)
			(await import('node:fs')).writeFileSync(process.env.BENCH_DUMP, raw.body);
	}
	const queue = KIND === 'start' ? [...seed.trainees] : KIND === 'submit' ? [...attempts] : null;
	const conc = KIND === 'teacher' ? 1 : CONC;
	await Promise.all(
		Array.from({ length: conc }, async (_, w) => {
			let k = w;
			while (queue ? queue.length : performance.now() < until) {
				let ok;
				if (KIND === 'start') ok = (await startOne(queue.shift())) !== null;
				else if (KIND === 'submit') {
					const a = queue.shift();
					const r = await request(agent, port, {
						method: 'POST',
						path: `/attempts/${a.id}/submission`,
						headers: {
							cookie: `session=${a.token}`,
							origin,
							'content-type': 'application/json',
							'accept-encoding': BROWSER_ACCEPT_ENCODING
						},
						body: '{}'
					});
					ok = outcomeOf(r) === 'ok' && JSON.parse(r.body.toString()).status === 'submitted';
				} else if (KIND === 'autosave')
					ok = outcomeOf(await saveOne(attempts[k++ % attempts.length], k)) === 'ok';
				else if (KIND === 'page') {
					const a = attempts[k++ % attempts.length];
					ok = await pageOk(`/attempts/${a.id}`, a.token);
				} else if (KIND === 'exam')
					ok = await pageOk(
						`/exams/${seed.examSlug}`,
						seed.trainees[k++ % seed.trainees.length].token
					);
				else ok = await pageOk(`/cohorts/${seed.cohortId}`, seed.teacher.token);
				if (!ok) errors++;
				done++;
			}
		})
	);
	const secs = (performance.now() - t0) / 1000;
	const [c1, p1] = treeCpuMs([app.pid, postmasterPid]);
	console.log(
		`\n${KIND}: ${done} requests in ${round(secs)} s = ${round(done / secs)}/s (closed loop, ${conc} concurrent), errors ${errors}`
	);
	console.log(
		`CPU per request: server ${round((c1 - c0) / done, 3)} ms, PostgreSQL ${round((p1 - p0) / done, 3)} ms`
	);
	const wal1 = await walAndUpdates();
	const upd = wal1.upd - wal0.upd;
	console.log(
		`WAL per request ${round((wal1.bytes - wal0.bytes) / done)} B (full-page images ${wal1.fpi - wal0.fpi}), flushes per request ${round((wal1.syncs - wal0.syncs) / done, 2)}; responses updates ${upd}, HOT ${upd ? round(((wal1.hot - wal0.hot) / upd) * 100) : '—'} %`
	);
	const stmts = await sql`
		select calls::int, round(total_plan_time::numeric / greatest(calls, 1), 3)::float as plan_ms, round(mean_exec_time::numeric, 3)::float as exec_ms,
			left(regexp_replace(query, '\\s+', ' ', 'g'), 120) as query
		from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time + total_plan_time desc limit 10`;
	console.log('\npg_stat_statements (per call):');
	for (const s of stmts)
		console.log(
			`  ${String(s.calls).padStart(6)} calls  plan ${s.plan_ms} ms  exec ${s.exec_ms} ms  ${s.query}`
		);
	await sql.end();
	agent.destroy();
	app.kill('SIGTERM');
	await new Promise((r) => app.on('exit', r));
	const file = PROFILE && readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
	if (file)
		execFileSync(
			process.execPath,
			[
				join(ROOT, 'tests/bench/profile-summary.mjs'),
				join(profDir, file),
				'30',
				...(
					process.env.BENCH_FOCUS ??
					'handleSession,validateSessionToken,saveResponse,paraglideMiddleware,compress,gzipSync,POST,json,render,load,takingView,renderPaper,renderStem,startAttempt,examAvailability,drawExam,submitMine,submitAttempt,recordAudit,cohortGrid,progressOf,summariseCourses,stringify,uneval'
				).split(',')
			],
			{ stdio: 'inherit' }
		);
} finally {
	stopAll();
}

// `npm run bench:upload`: recording upload throughput and the largest recording. Builds the app
// when the sources are newer than build/, starts `node build` on embedded PGlite in a temporary
// DATA_DIR with the demo data, makes a long speech-like Opus/WebM recording (espeak-ng voices,
// room noise, ffmpeg/libopus at the browser's 32 kbit/s) just under the assessment's longest
// allowed recording, and uploads it through the real endpoints exactly as the browser's recorder
// does (create the recording, PUT chunk i in order, POST count to finish):
//   1. one session, 1 s chunks, sequential (the browser's timeslice, sent back to back);
//   2. one session, larger chunks (BENCH_UPLOAD_BIG_CHUNK_SECONDS, 10 s);
//   3. three sessions in parallel, 1 s chunks (the demo's three mock calls: trainee8, trainee9 ×2);
// then checks every assembled recording (duration against ffprobe, bytes, the audio endpoint's
// bytes and a Range), and that a recording over the limit is refused. Prints MB/s, chunks/s,
// p50/p95/p99 chunk latency and finish time; writes tests/bench/results/upload-<time>.json.
//
// Knobs: BENCH_UPLOAD_MINUTES (default: the limit less 10 s), BENCH_UPLOAD_KBPS (32),
// BENCH_UPLOAD_BIG_CHUNK_SECONDS (10), BENCH_UPLOAD_OVER=0 (skip the over-limit check),
// BENCH_BUILD=auto|always|never, BENCH_APP_ENV="K=V,…" (extra server environment).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	buildIsStale,
	envNum,
	freePort,
	makeAgent,
	privateBuildCopy,
	request,
	round,
	sleep,
	appEnvFromEnv,
	cleanupOnExit
} from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = join(ROOT, 'tests/bench/results');
mkdirSync(RESULTS, { recursive: true });
process.chdir(ROOT);

const T0 = Date.now();
const log = (...a) =>
	console.log(`[upload ${String(Math.round((Date.now() - T0) / 1000)).padStart(3)} s]`, ...a);
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

// The longest recording the mock-call assessment accepts (content/exams/mock-call.md).
const limitMinutes = Number(
	/^maxRecordingMinutes:\s*(\d+)/m.exec(readFileSync('content/exams/mock-call.md', 'utf8'))?.[1] ??
		20
);
const C = {
	seconds: Math.round(envNum('BENCH_UPLOAD_MINUTES', limitMinutes - 10 / 60) * 60),
	kbps: envNum('BENCH_UPLOAD_KBPS', 32),
	bigChunkSeconds: envNum('BENCH_UPLOAD_BIG_CHUNK_SECONDS', 10),
	over: process.env.BENCH_UPLOAD_OVER !== '0',
	build: process.env.BENCH_BUILD ?? 'auto',
	limitMinutes,
	maxMb: envNum('RECORDING_MAX_MB', 50)
};
const appEnv = appEnvFromEnv();

// ───────────── cleanup ─────────────
const { cleanups, cleanup } = cleanupOnExit();

const need = ['espeak-ng', 'sox', 'ffmpeg', 'ffprobe'].filter(
	(t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0
);
if (need.length) {
	console.error(`bench:upload needs ${need.join(', ')} (apt-get install espeak-ng sox ffmpeg)`);
	process.exit(2);
}

// ───────────── build ─────────────
function ensureBuild() {
	if (C.build === 'always' || (C.build === 'auto' && buildIsStale())) {
		log('building the app (npm run build)…');
		const r = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`npm run build failed:\n${(r.stderr || r.stdout).slice(-3000)}`);
	} else log('build is up to date');
	return resolve(privateBuildCopy('bench-upload-build'));
}

// ───────────── the recording ─────────────
// A call's worth of alternating agent and customer lines (own wording), looped to length, over
// quiet room noise so the pauses are not digital silence.
const AGENT = [
	'您好，星联通信，工号一零二四为您服务，请问有什么可以帮您？',
	'好的，请问您贵姓？陈先生您好，为了核实身份，麻烦您说一下机主姓名和证件号码后四位。',
	'您是说这个月的账单比上个月多了三十五元，对吗？我马上为您查询，请您稍等。',
	'感谢您的耐心等待。查询到您本月开通了一个流量加油包，费用是三十元，另外有五元的短信费用。',
	'非常理解您的心情。如果不是您本人办理的，我可以为您提交核查，三个工作日内给您回复。',
	'请问还有其他可以帮您的吗？感谢您的来电，祝您生活愉快，再见。'
];
const CUSTOMER = [
	'喂，你好，我想问一下我这个月的话费怎么这么高。',
	'我姓陈，机主是陈明，证件后四位是三七二一。',
	'对，就是多了三十多块钱，我什么都没多用啊。',
	'流量包？我没有开过什么流量包，你们是不是搞错了？',
	'那好吧，你帮我查一下，查清楚了给我打电话。',
	'没有了，谢谢。'
];

// sox output: 48 kHz mono 16-bit, like a browser's microphone capture.
const CAPTURE_FORMAT = ['-r', '48000', '-c', '1', '-b', '16'];

function makeRecording(dir, seconds, name) {
	const wav = join(dir, 'loop.wav');
	if (!existsSync(wav)) {
		const parts = [];
		AGENT.forEach((line, i) => {
			for (const [text, voice, pitch, speed] of [
				[line, 'cmn-latn-pinyin+f2', 62, 200],
				[CUSTOMER[i], 'cmn-latn-pinyin+m3', 38, 190]
			]) {
				const raw = join(dir, `l${parts.length}.wav`);
				execFileSync('espeak-ng', [
					'-v',
					voice,
					'-p',
					String(pitch),
					'-s',
					String(speed),
					'-w',
					raw,
					text
				]);
				const norm = join(dir, `n${parts.length}.wav`);
				// In the capture format, then a pause between turns.
				execFileSync('sox', ['-V1', '-v', '0.8', raw, ...CAPTURE_FORMAT, norm, 'pad', '0', '0.8']);
				parts.push(norm);
			}
		});
		const speech = join(dir, 'speech.wav');
		execFileSync('sox', [...parts, speech]);
		const length = execFileSync('soxi', ['-D', speech], { encoding: 'utf8' }).trim();
		const noise = join(dir, 'noise.wav');
		execFileSync('sox', [
			'-n',
			...CAPTURE_FORMAT,
			noise,
			'synth',
			length,
			'pinknoise',
			'vol',
			'0.02'
		]);
		execFileSync('sox', ['-m', speech, noise, wav]);
	}
	const out = join(dir, name);
	// MediaRecorder writes live WebM: unknown sizes, no cues (ffmpeg's -live 1).
	execFileSync('ffmpeg', [
		'-hide_banner',
		'-loglevel',
		'error',
		'-y',
		'-stream_loop',
		'-1',
		'-i',
		wav,
		'-t',
		String(seconds),
		'-c:a',
		'libopus',
		'-b:a',
		`${C.kbps}k`,
		'-application',
		'voip',
		'-frame_duration',
		'20',
		'-ac',
		'1',
		'-ar',
		'48000',
		'-f',
		'webm',
		'-live',
		'1',
		out
	]);
	// Live WebM has no duration field: the span of its packets, as a player would count it.
	const packets = execFileSync(
		'ffprobe',
		[
			'-v',
			'error',
			'-select_streams',
			'a',
			'-show_entries',
			'packet=pts_time,duration_time',
			'-of',
			'csv=p=0',
			out
		],
		{ encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }
	)
		.trim()
		.split('\n')
		.map((l) => l.split(',').map(Number));
	const [firstPts] = packets[0];
	const [lastPts, lastDuration] = packets.at(-1);
	const probed = lastPts + lastDuration - firstPts;
	return { path: out, bytes: new Uint8Array(readFileSync(out)), seconds: probed };
}

// ───────────── the app ─────────────
async function startApp(build, dataDir, databaseUrl) {
	const port = await freePort();
	const logFile = join(RESULTS, 'app-upload.log');
	const p = spawn(process.execPath, [join(build, 'index.js')], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			DATA_DIR: dataDir,
			DEMO_DATA: '1',
			...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
			...(process.env.RECORDING_MAX_MB ? { RECORDING_MAX_MB: process.env.RECORDING_MAX_MB } : {}),
			...appEnv
		}
	});
	cleanups.push(() => p.exitCode === null && p.kill('SIGKILL'));
	const out = [];
	p.stdout.on('data', (d) => out.push(d));
	p.stderr.on('data', (d) => out.push(d));
	const flush = () => writeFileSync(logFile, Buffer.concat(out));
	p.on('exit', flush);
	const deadline = Date.now() + 90_000;
	for (;;) {
		if (p.exitCode !== null)
			throw new Error(`the app exited:\n${Buffer.concat(out).toString().slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`the app did not answer within 90 s (${logFile})`);
		const r = await request(undefined, port, { path: '/login', timeoutMs: 2000 });
		if (r.status === 200) break;
		await sleep(250);
	}
	return { p, port, logFile, flush };
}

function vmHwmMb(pid) {
	try {
		const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb ? round(Number(kb) / 1024) : null;
	} catch {
		return null;
	}
}

// ───────────── the browser's side ─────────────
class Client {
	constructor(port, agent) {
		this.port = port;
		this.agent = agent;
		this.cookie = '';
		this.origin = `http://127.0.0.1:${port}`;
	}
	req(opts) {
		return request(this.agent, this.port, {
			...opts,
			headers: { cookie: this.cookie, origin: this.origin, ...(opts.headers ?? {}) }
		});
	}
	async signIn(login) {
		const r = await this.req({
			method: 'POST',
			path: '/login',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ login, password: 'demo-pass-2026' }).toString()
		});
		const set = [r.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]);
		if (r.status !== 303 || !set.length) throw new Error(`sign-in ${login}: ${r.status} ${r.body}`);
		this.cookie = set.join('; ');
	}
	async startMock(exam) {
		const r = await this.req({
			method: 'POST',
			path: '/mock-calls?/start',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ exam, mode: 'self-paced' }).toString()
		});
		const id = /\/mock-calls\/([0-9a-f-]{36})/.exec(r.headers.location ?? '')?.[1];
		if (r.status !== 303 || !id)
			throw new Error(`start ${exam}: ${r.status} ${r.body.toString().slice(0, 300)}`);
		return id;
	}
	async json(method, path, value) {
		const r = await this.req({
			method,
			path,
			headers: { 'content-type': 'application/json' },
			body: value === undefined ? null : JSON.stringify(value),
			timeoutMs: 300_000
		});
		let body = null;
		try {
			body = JSON.parse(r.body.toString());
		} catch {
			/* not JSON */
		}
		return { status: r.status, body, error: r.error };
	}
}

/** One recorded call, uploaded as the recorder does: chunk i PUT in order, then finish. */
async function uploadSession(client, attemptId, call, file, chunkSeconds) {
	const created = await client.json('POST', `/mock-calls/${attemptId}/session`, {
		type: 'recording',
		call
	});
	if (created.status !== 200)
		throw new Error(
			`new recording: ${created.status} ${created.error ?? ''} ${JSON.stringify(created.body)}`
		);
	const id = created.body.id;
	const size = Math.max(1, Math.round((file.bytes.length / file.seconds) * chunkSeconds));
	const latencies = [];
	const t0 = performance.now();
	let index = 0;
	for (let at = 0; at < file.bytes.length; at += size, index++) {
		const chunk = file.bytes.subarray(at, Math.min(at + size, file.bytes.length));
		const s = performance.now();
		const r = await client.req({
			method: 'PUT',
			path: `/recordings/${id}/chunks/${index}`,
			headers: { 'content-type': 'application/octet-stream' },
			body: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
		});
		latencies.push(performance.now() - s);
		if (r.status !== 200) throw new Error(`chunk ${index}: ${r.status} ${r.error ?? r.body}`);
	}
	const uploadMs = performance.now() - t0;
	const f0 = performance.now();
	const finished = await client.json('POST', `/recordings/${id}`, { count: index, beats: [] });
	const finishMs = performance.now() - f0;
	return { id, chunks: index, chunkBytes: size, latencies, uploadMs, finishMs, finished };
}

const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]) : null;
};

function summarise(label, sessions, wallMs, file) {
	const latencies = sessions.flatMap((s) => s.latencies);
	const chunks = sessions.reduce((n, s) => n + s.chunks, 0);
	const bytes = sessions.length * file.bytes.length;
	const chunkSeconds = (sessions[0].chunkBytes / file.bytes.length) * file.seconds;
	const chunksPerSecond = chunks / (wallMs / 1000);
	return {
		label,
		sessions: sessions.length,
		chunkSeconds: round(chunkSeconds, 2),
		chunkKB: round(sessions[0].chunkBytes / 1024),
		chunks,
		mb: round(bytes / 1e6, 2),
		wallSeconds: round(wallMs / 1000, 2),
		mbPerSecond: round(bytes / 1e6 / (wallMs / 1000), 2),
		chunksPerSecond: round(chunksPerSecond),
		p50: pct(latencies, 50),
		p95: pct(latencies, 95),
		p99: pct(latencies, 99),
		max: round(Math.max(...latencies)),
		finishMs: sessions.map((s) => round(s.finishMs)),
		// A recording browser sends one chunk per timeslice: how many calls recording at once the
		// server kept up with at this rate.
		liveCallsEquivalent: Math.floor(chunksPerSecond * chunkSeconds)
	};
}

async function verify(client, session, file) {
	const problems = [];
	const f = session.finished;
	if (f.status !== 200) return [`finish: ${f.status} ${JSON.stringify(f.body)}`];
	if (f.body.bytes !== file.bytes.length)
		problems.push(`bytes ${f.body.bytes} ≠ ${file.bytes.length}`);
	const drift = Math.abs(f.body.durationMs - file.seconds * 1000);
	if (drift > 100)
		problems.push(`duration ${f.body.durationMs} ms vs ffprobe ${round(file.seconds * 1000)} ms`);
	const whole = await client.req({ path: `/recordings/${session.id}/audio`, timeoutMs: 120_000 });
	const sha = (b) => createHash('sha256').update(b).digest('hex');
	if (whole.status !== 200 || sha(whole.body) !== sha(file.bytes))
		problems.push(
			`audio endpoint: ${whole.status}, ${whole.body.length} bytes, not the uploaded file`
		);
	const from = file.bytes.length - 1000;
	const part = await client.req({
		path: `/recordings/${session.id}/audio`,
		headers: { range: `bytes=${from}-` }
	});
	if (
		part.status !== 206 ||
		Buffer.compare(part.body, Buffer.from(file.bytes.subarray(from))) !== 0
	)
		problems.push(`range: ${part.status}`);
	return problems.length ? problems : [];
}

async function runOn(db, build, file, over, overSeconds, databaseUrl) {
	const dataDir = mkdtempSync(join(os.tmpdir(), 'bench-upload-data-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const app = await startApp(build, dataDir, databaseUrl);
	log(`${db}: app on 127.0.0.1:${app.port}`);
	const agent = makeAgent();
	const t8 = new Client(app.port, agent);
	const t9 = new Client(app.port, agent);
	await t8.signIn('trainee8');
	await t9.signIn('trainee9');
	const call8 = await t8.startMock('mock-call');
	const shift9 = await t9.startMock('mock-golive');

	const phase = async (label, jobs) => {
		const t = performance.now();
		const sessions = await Promise.all(
			jobs.map((j) => uploadSession(j.client, j.attempt, j.call, file, j.chunkSeconds))
		);
		const s = summarise(`${db}: ${label}`, sessions, performance.now() - t, file);
		const problems = [];
		for (const [i, sess] of sessions.entries())
			problems.push(...(await verify(jobs[i].client, sess, file)));
		s.verified = problems.length ? problems : 'ok';
		out.phases.push(s);
		log(
			`${s.label}: ${s.mbPerSecond} MB/s, ${s.chunksPerSecond} chunks/s, chunk p50 ${s.p50} / p95 ${s.p95} / p99 ${s.p99} ms, finish ${s.finishMs.join(', ')} ms — ${problems.length ? problems.join('; ') : 'verified'}`
		);
	};

	await phase('sequential, 1 s chunks', [{ client: t8, attempt: call8, call: 1, chunkSeconds: 1 }]);
	await phase(`sequential, ${C.bigChunkSeconds} s chunks`, [
		{ client: t9, attempt: shift9, call: 1, chunkSeconds: C.bigChunkSeconds }
	]);
	await phase('3 parallel sessions, 1 s chunks', [
		{ client: t8, attempt: call8, call: 1, chunkSeconds: 1 },
		{ client: t9, attempt: shift9, call: 1, chunkSeconds: 1 },
		{ client: t9, attempt: shift9, call: 2, chunkSeconds: 1 }
	]);

	if (over) {
		log(`over the limit: a ${round(overSeconds / 60, 2)}-minute recording…`);
		const s = await uploadSession(t8, call8, 1, over, C.bigChunkSeconds);
		out.checks[`${db} over the limit`] = {
			seconds: round(over.seconds, 1),
			status: s.finished.status,
			code: s.finished.body?.code,
			message: s.finished.body?.error
		};
		log(
			`over the limit: ${s.finished.status} ${s.finished.body?.code} (${s.finished.body?.error})`
		);
	}
	out.serverPeakMemoryMb[db] = vmHwmMb(app.p.pid);
	app.p.kill('SIGTERM');
	await new Promise((r) => app.p.once('exit', r));
	app.flush();
}

// ───────────── run ─────────────
const out = {
	startedAt: new Date().toISOString(),
	config: C,
	machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
	phases: [],
	checks: {},
	serverPeakMemoryMb: {}
};
try {
	const build = C.build === 'never' ? 'build' : ensureBuild();
	const audioDir = mkdtempSync(join(os.tmpdir(), 'bench-upload-audio-'));
	cleanups.push(() => rmSync(audioDir, { recursive: true, force: true }));
	log(`making a ${round(C.seconds / 60, 2)}-minute Opus/WebM recording at ${C.kbps} kbit/s…`);
	const file = makeRecording(audioDir, C.seconds, 'long.webm');
	out.recording = {
		seconds: round(file.seconds, 3),
		bytes: file.bytes.length,
		mb: round(file.bytes.length / 1e6, 2)
	};
	log(
		`recording: ${out.recording.mb} MB, ${round(file.seconds / 60, 2)} min (limit ${C.limitMinutes} min, ${C.maxMb} MB)`
	);

	// Made before the server starts, so the run measures uploads only.
	const overSeconds = C.limitMinutes * 60 + 30;
	const over = C.over ? makeRecording(audioDir, overSeconds, 'over.webm') : null;

	await runOn('PGlite', build, file, over, overSeconds);
	if (process.env.BENCH_UPLOAD_POSTGRES === '1') {
		const { startPostgres } = await import('../support/postgres-server.mjs');
		const pg = await startPostgres();
		cleanups.push(() => pg.stop());
		await runOn('PostgreSQL', build, file, over, overSeconds, pg.url);
	}
} catch (e) {
	console.error(`\nbench:upload failed: ${e.stack ?? e}`);
	out.error = String(e.message ?? e);
	process.exitCode = 1;
}

const file = join(RESULTS, `upload-${stamp}.json`);
writeFileSync(file, JSON.stringify(out, null, 2));
console.log('\n── recording upload ──');
if (out.recording)
	console.log(
		`recording ${out.recording.mb} MB, ${round(out.recording.seconds / 60, 2)} min of Opus/WebM at ${C.kbps} kbit/s (limits: ${C.limitMinutes} min per recording, ${C.maxMb} MB)`
	);
console.log(
	'| phase | MB/s | chunks/s | chunk p50 / p95 / p99 ms | finish ms | live calls kept up with | checked |'
);
console.log('|---|---|---|---|---|---|---|');
for (const p of out.phases)
	console.log(
		`| ${p.label} (${p.chunkKB} KB chunks, ${p.chunks} in all) | ${p.mbPerSecond} | ${p.chunksPerSecond} | ${p.p50} / ${p.p95} / ${p.p99} | ${p.finishMs.join(', ')} | ${p.liveCallsEquivalent} | ${p.verified === 'ok' ? 'ok' : p.verified.join('; ')} |`
	);
for (const [name, c] of Object.entries(out.checks))
	console.log(`${name} (${c.seconds} s): HTTP ${c.status} ${c.code}`);
for (const [db, mb] of Object.entries(out.serverPeakMemoryMb))
	console.log(`${db}: server peak memory ${mb} MB`);
console.log(`results: ${file}`);
if (
	out.phases.some((p) => p.verified !== 'ok') ||
	(C.over && !Object.keys(out.checks).length) ||
	Object.values(out.checks).some((c) => c.code !== 'rec_too_long')
)
	process.exitCode = 1;
// The server and temporary files go with us, whatever happened.
cleanup();
process.exit();

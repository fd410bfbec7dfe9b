// Background speech-to-text against a small OpenAI-compatible server run here on loopback: the
// request it receives, the transcript that lands and the phrase hits on it, failures and
// retries, the examiner's transcript kept, and jobs surviving a stop or a crash.
import { eq } from 'drizzle-orm';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attempts } from '../attempts/schema';
import { auditLog } from '../audit/schema';
import { CONTENT_ROOT } from '../cases/library';
import type { AsrConfig } from '../config';
import { db } from '../db/client';
import { mockKeyOf, startMockAttempt } from '../mock-calls/attempts';
import { mockGradingView, retryTranscription, saveTranscript } from '../mock-calls/grading';
import { recordingFixture, setupMockCohort } from '../mock-calls/test-fixtures';
import { createRecording, finishRecording, putChunk } from '../recordings/recordings';
import { recordings } from '../recordings/schema';
import { LocalDiskStorage, setRecordingStorage } from '../recordings/storage';
import { setTranscriptionEnabled } from './jobs';
import { transcriptionJobs } from './schema';
import { startTranscriptionWorker, type TranscriptionWorker } from './worker';

const WEBM = recordingFixture('tone-3s.webm');

// ───────────── the fake speech-to-text server ─────────────
type Seen = {
	path: string;
	authorization: string | undefined;
	fields: Record<string, string>;
	file: { filename: string; type: string; bytes: Buffer } | null;
};
type Reply = (seen: Seen, res: ServerResponse) => unknown;

/** Reads a multipart/form-data body by hand (independently of the client's encoder). */
function parseMultipart(body: Buffer, contentType: string) {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
	if (!boundary) throw new Error(`not multipart: ${contentType}`);
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const fields: Record<string, string> = {};
	let file: Seen['file'] = null;
	let at = body.indexOf(delimiter);
	while (at !== -1) {
		const start = at + delimiter.length;
		if (body.subarray(start, start + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, start);
		if (next === -1) throw new Error('unterminated part');
		const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF--boundary
		const split = part.indexOf('\r\n\r\n');
		const head = part.subarray(0, split).toString();
		const content = part.subarray(split + 4);
		const name = /name="([^"]*)"/.exec(head)![1];
		const filename = /filename="([^"]*)"/.exec(head)?.[1];
		if (filename !== undefined)
			file = {
				filename,
				type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '',
				bytes: Buffer.from(content)
			};
		else fields[name] = content.toString();
		at = next;
	}
	return { fields, file };
}

type FakeAsr = { url: string; seen: Seen[]; reply: Reply; close(): Promise<void> };

async function fakeAsr(reply: Reply): Promise<FakeAsr> {
	const fake: FakeAsr = { url: '', seen: [], reply, close: async () => {} };
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks);
			let seen: Seen;
			try {
				seen = {
					path: req.url ?? '',
					authorization: req.headers.authorization,
					...parseMultipart(body, req.headers['content-type'] ?? '')
				};
			} catch (e) {
				res.writeHead(400).end((e as Error).message);
				return;
			}
			fake.seen.push(seen);
			await fake.reply(seen, res);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	fake.close = () =>
		new Promise((r) => {
			server.closeAllConnections();
			server.close(() => r());
		});
	return fake;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

// ───────────── set-up ─────────────
const asrConfig = (url: string, over: Partial<AsrConfig> = {}): AsrConfig => ({
	url,
	model: 'whisper-test',
	apiKey: 'sk-test-key',
	timeoutMs: 5_000,
	maxAttempts: 3,
	backoffMs: 20,
	concurrency: 1,
	...over
});

const running: TranscriptionWorker[] = [];
const servers: FakeAsr[] = [];
function worker(cfg: AsrConfig) {
	const w = startTranscriptionWorker(cfg, { pollMs: 30, leaseMs: 600, log: () => {} });
	running.push(w);
	return w;
}
async function server(reply: Reply) {
	const s = await fakeAsr(reply);
	servers.push(s);
	return s;
}

beforeAll(() => {
	setRecordingStorage(new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'asr-rec-'))));
	setTranscriptionEnabled(true);
});
afterEach(async () => {
	for (const w of running.splice(0)) await w.stop();
	for (const s of servers.splice(0)) await s.close();
});
afterAll(() => {
	setRecordingStorage(null);
	setTranscriptionEnabled(null);
});

async function setup() {
	const { examiner, trainee, outsider } = await setupMockCohort();
	const attemptId = await startMockAttempt(trainee, 'mock-call', 'self-paced', null);
	const [a] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
	const call = mockKeyOf(a).calls['1'];
	const clips = JSON.parse(
		readFileSync(join(CONTENT_ROOT, 'scenarios', call.scenarioSlug, 'beats', 'index.json'), 'utf8')
	) as Record<string, { seconds: number }>;
	return { examiner, trainee, outsider, attemptId, firstBeat: call.beats[0].id, clips };
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** A finished one-chunk recording of call 1; the first customer line played at 4 s. */
async function recorded(s: Setup) {
	const rec = await createRecording(s.trainee, s.attemptId, 1);
	await putChunk(s.trainee, rec.id, 0, WEBM);
	await finishRecording(s.trainee, rec.id, 1, [{ beatId: s.firstBeat, at: 4000 }]);
	return rec.id;
}

const jobOf = async (recordingId: string) =>
	(
		await db.select().from(transcriptionJobs).where(eq(transcriptionJobs.recordingId, recordingId))
	)[0];
const recordingRow = async (id: string) =>
	(await db.select().from(recordings).where(eq(recordings.id, id)))[0];

async function until(what: string, check: () => Promise<boolean>, ms = 15_000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error(`timed out waiting for ${what}`);
}
const settled = (id: string) =>
	until(`job ${id} to settle`, async () => ['done', 'failed'].includes((await jobOf(id))?.state));

/** What a recogniser hears in the test call: greeting, the customer inside their clip (4 s + its
 *  length), then two forbidden expressions from the agent. */
function segments(s: Setup) {
	const clipEnd = 4 + s.clips[s.firstBeat].seconds;
	return [
		{ id: 0, start: 0.2, end: 2.1, text: ' 您好，星联通信，工号1024为您服务。' },
		{ id: 1, start: 2.3, end: 3.4, text: '请问有什么可以帮您' },
		{ id: 2, start: 4.3, end: clipEnd - 0.5, text: '你们这个怎么回事，你给我说清楚' },
		{ id: 3, start: clipEnd + 1, end: clipEnd + 4, text: '这是公司的规定，没有办法。' }
	];
}

// ───────────── the tests ─────────────
describe('automatic transcription of mock-call recordings', () => {
	it('sends the recording, stores the transcript with speakers, and the phrase checker runs on it', async () => {
		const s = await setup();
		const asr = await server((_, res) =>
			json(res, 200, { task: 'transcribe', language: 'zh', segments: segments(s) })
		);
		const id = await recorded(s);
		expect((await jobOf(id)).state).toBe('pending');
		const before = await mockGradingView(s.examiner, s.attemptId);
		expect(before.calls[0].recordings[0].asr?.state).toBe('pending');
		expect(before.calls[0].hits).toBeNull();

		worker(asrConfig(asr.url));
		await settled(id);

		// The request, as an OpenAI-compatible server reads it.
		expect(asr.seen).toHaveLength(1);
		const req = asr.seen[0];
		expect(req.path).toBe('/v1/audio/transcriptions');
		expect(req.authorization).toBe('Bearer sk-test-key');
		expect(req.fields).toMatchObject({
			model: 'whisper-test',
			language: 'zh',
			response_format: 'verbose_json'
		});
		expect(req.file?.filename).toBe('recording.webm');
		expect(req.file?.type).toBe('audio/webm');
		expect(Buffer.compare(req.file!.bytes, Buffer.from(WEBM))).toBe(0);

		const row = await recordingRow(id);
		expect(row.transcriptSource).toBe('asr');
		expect(row.transcriptBy).toBeNull();
		expect(row.transcript!.map((t) => [t.speaker, t.text])).toEqual([
			['agent', '您好，星联通信，工号1024为您服务。请问有什么可以帮您'],
			['customer', '你们这个怎么回事，你给我说清楚'],
			['agent', '这是公司的规定，没有办法。']
		]);
		expect(row.transcript![0]).toMatchObject({ start: 0.2, end: 3.4 });

		const view = await mockGradingView(s.examiner, s.attemptId);
		const rec = view.calls[0].recordings[0];
		expect(rec.transcriptSource).toBe('asr');
		expect(rec.asr).toMatchObject({ state: 'done', attempts: 1, errorCode: null });
		const rules = view.calls[0].hits!.map((h) => h.ruleId);
		expect(rules).toContain('company-policy');
		expect(rules).toContain('flat-refusal');
		// The customer's 你 is theirs to say: only the agent's turns are checked.
		expect(rules).not.toContain('ni-instead-of-nin');
		expect(view.calls[0].measures.phraseHits).toBe(view.calls[0].hits!.length);
	});

	it.each([
		[
			'HTTP 500',
			'http',
			/HTTP 500: model crashed/,
			3,
			(res: ServerResponse) => res.writeHead(500).end('model crashed')
		],
		[
			'garbage JSON',
			'bad_response',
			/not JSON: <html>oops/,
			3,
			(res: ServerResponse) =>
				res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops')
		],
		[
			'JSON without segments',
			'bad_response',
			/no segments/,
			3,
			(res: ServerResponse) => json(res, 200, { status: 'ok' })
		],
		['no answer in time', 'timeout', /no answer within/, 3, () => {}],
		[
			'a refused key (401)',
			'refused',
			/HTTP 401/,
			1,
			(res: ServerResponse) => json(res, 401, { error: { message: 'bad key' } })
		]
	] as const)(
		'%s: retried with backoff, then failed with the reason; nothing else changes',
		async (_, code, reason, tries, reply) => {
			const s = await setup();
			const asr = await server((_, res) => reply(res));
			const id = await recorded(s);
			const before = await recordingRow(id);
			worker(asrConfig(asr.url, { timeoutMs: 300 }));
			await settled(id);
			const job = await jobOf(id);
			expect(job).toMatchObject({ state: 'failed', attempts: tries, errorCode: code });
			expect(job.lastError).toMatch(reason);
			expect(asr.seen).toHaveLength(tries);
			expect(await recordingRow(id)).toEqual(before);
			const view = await mockGradingView(s.examiner, s.attemptId);
			expect(view.calls[0].recordings[0].asr).toMatchObject({ state: 'failed', errorCode: code });
			expect(view.calls[0].hits).toBeNull();
		}
	);

	it('retries a passing failure and then succeeds', async () => {
		const s = await setup();
		let calls = 0;
		const asr = await server((_, res) =>
			++calls === 1 ? res.writeHead(503).end('busy') : json(res, 200, { segments: segments(s) })
		);
		const id = await recorded(s);
		worker(asrConfig(asr.url));
		await settled(id);
		expect(await jobOf(id)).toMatchObject({ state: 'done', attempts: 2, lastError: null });
		expect((await recordingRow(id)).transcriptSource).toBe('asr');
	});

	it('never replaces a transcript the examiner typed, before or while the server works', async () => {
		const s = await setup();
		const typed = '坐席：您好，星联通信，工号 1024 为您服务。\n客户：你好。';
		// Typed before the job runs: the server is not even asked.
		const asr = await server((_, res) => json(res, 200, { segments: segments(s) }));
		const early = await recorded(s);
		await saveTranscript(s.examiner, early, typed, 'typed', null);
		worker(asrConfig(asr.url));
		await settled(early);
		expect(asr.seen).toHaveLength(0);
		expect(await jobOf(early)).toMatchObject({ state: 'done' });
		expect((await recordingRow(early)).transcriptSource).toBe('typed');

		// Typed while the server is transcribing: the late machine result is dropped.
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		asr.reply = async (_, res) => {
			await held;
			json(res, 200, { segments: segments(s) });
		};
		const late = await recorded(s);
		await until('the request', async () => asr.seen.length === 1);
		const vtt =
			'WEBVTT\n\n00:00.000 --> 00:02.000\n<v 坐席>您好，请讲。\n\n00:02.500 --> 00:03.000\n<v 客户>你好。\n';
		await saveTranscript(s.examiner, late, vtt, 'vtt', null);
		release();
		await settled(late);
		expect(await jobOf(late)).toMatchObject({ state: 'done' });
		const row = await recordingRow(late);
		expect(row.transcriptSource).toBe('vtt');
		expect(row.transcriptBy).toBe(s.examiner.id);
		expect(row.transcript!.map((t) => t.text)).toEqual(['您好，请讲。', '你好。']);
	});

	it('a stop hands the running job back; after a restart it and a crashed try are picked up', async () => {
		const s = await setup();
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const asr = await server(async (_, res) => {
			await held;
			json(res, 200, { segments: segments(s) });
		});
		const first = await recorded(s);
		const w = worker(asrConfig(asr.url));
		await until('the request', async () => asr.seen.length === 1);
		await w.stop();
		// Handed back uncounted, due at once.
		expect(await jobOf(first)).toMatchObject({ state: 'pending', attempts: 0, lockedUntil: null });

		// A second recording, finished while no server process runs a worker.
		const second = await recorded(s);
		// A third whose try was cut off by a crash: still 'running', its lease lapsed.
		const third = await recorded(s);
		await db
			.update(transcriptionJobs)
			.set({ state: 'running', attempts: 1, lockedUntil: new Date(Date.now() - 1000) })
			.where(eq(transcriptionJobs.recordingId, third));

		release();
		worker(asrConfig(asr.url));
		for (const id of [first, second, third]) await settled(id);
		expect(await jobOf(first)).toMatchObject({ state: 'done', attempts: 1 });
		expect(await jobOf(second)).toMatchObject({ state: 'done', attempts: 1 });
		expect(await jobOf(third)).toMatchObject({ state: 'done', attempts: 2 });
		for (const id of [first, second, third])
			expect((await recordingRow(id)).transcriptSource).toBe('asr');
	});

	it('two server instances share the queue: each recording is transcribed once', async () => {
		const s = await setup();
		const asr = await server(async (_, res) => {
			await new Promise((r) => setTimeout(r, 80));
			json(res, 200, { segments: segments(s) });
		});
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push(await recorded(s));
		worker(asrConfig(asr.url));
		worker(asrConfig(asr.url, { concurrency: 2 }));
		for (const id of ids) await settled(id);
		expect(asr.seen).toHaveLength(5);
		for (const id of ids) expect(await jobOf(id)).toMatchObject({ state: 'done', attempts: 1 });
	});

	it('a job whose every try ended in a crash is failed, not retried for ever', async () => {
		const s = await setup();
		const asr = await server((_, res) => json(res, 200, { segments: segments(s) }));
		const id = await recorded(s);
		await db
			.update(transcriptionJobs)
			.set({ state: 'running', attempts: 3, lockedUntil: new Date(Date.now() - 1000) })
			.where(eq(transcriptionJobs.recordingId, id));
		worker(asrConfig(asr.url));
		await settled(id);
		expect(await jobOf(id)).toMatchObject({ state: 'failed', errorCode: 'interrupted' });
		expect(asr.seen).toHaveLength(0);
	});

	it('without a speech-to-text server nothing is queued', async () => {
		const s = await setup();
		setTranscriptionEnabled(false);
		try {
			const id = await recorded(s);
			expect(await jobOf(id)).toBeUndefined();
			const view = await mockGradingView(s.examiner, s.attemptId);
			expect(view.calls[0].recordings[0].asr).toBeNull();
		} finally {
			setTranscriptionEnabled(true);
		}
	});

	it('a failed transcription is tried again when an examiner of the attempt asks, and only then', async () => {
		const s = await setup();
		let refuse = true;
		const asr = await server((_, res) =>
			refuse
				? json(res, 401, { error: { message: 'bad key' } })
				: json(res, 200, { segments: segments(s) })
		);
		const id = await recorded(s);
		worker(asrConfig(asr.url, { timeoutMs: 300 }));
		await settled(id);
		const failed = await jobOf(id);
		expect(failed).toMatchObject({ state: 'failed', errorCode: 'refused' });
		refuse = false;
		const retries = () =>
			db.select().from(auditLog).where(eq(auditLog.action, 'recording.transcription_retry'));
		const before = (await retries()).length;

		// Refused, changing nothing: the trainee, an examiner not of this cohort, a malformed id.
		await expect(retryTranscription(s.trainee, id, null)).rejects.toThrow();
		await expect(retryTranscription(s.outsider, id, null)).rejects.toMatchObject({
			code: 'error_not_found'
		});
		await expect(retryTranscription(s.examiner, 'not-a-uuid', null)).rejects.toMatchObject({
			code: 'error_not_found'
		});
		await new Promise((r) => setTimeout(r, 100));
		expect(await jobOf(id)).toEqual(failed);
		expect(asr.seen).toHaveLength(1);

		await retryTranscription(s.examiner, id, '10.0.0.7');
		await settled(id);
		expect(await jobOf(id)).toMatchObject({ state: 'done', attempts: 1, errorCode: null });
		expect((await recordingRow(id)).transcriptSource).toBe('asr');
		expect(asr.seen).toHaveLength(2);
		const logged = await retries();
		expect(logged).toHaveLength(before + 1);
		expect(logged.at(-1)).toMatchObject({
			actorId: s.examiner.id,
			target: `recording:${id}`,
			ip: '10.0.0.7'
		});

		// Done now: nothing to try again.
		const done = await jobOf(id);
		await expect(retryTranscription(s.examiner, id, null)).rejects.toMatchObject({
			code: 'asr_retry_not_failed'
		});
		expect(await jobOf(id)).toEqual(done);
		expect(await retries()).toHaveLength(before + 1);
	});

	it("no retry over an examiner's own transcript", async () => {
		const s = await setup();
		const asr = await server((_, res) => json(res, 401, { error: { message: 'bad key' } }));
		const id = await recorded(s);
		worker(asrConfig(asr.url, { timeoutMs: 300 }));
		await settled(id);
		await saveTranscript(s.examiner, id, '坐席：您好\n客户：我要投诉', 'typed', null);
		const failed = await jobOf(id);
		await expect(retryTranscription(s.examiner, id, null)).rejects.toMatchObject({
			code: 'asr_retry_has_transcript'
		});
		expect(await jobOf(id)).toEqual(failed);
	});
});

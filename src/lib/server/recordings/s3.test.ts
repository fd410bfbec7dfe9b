// The S3-compatible recording store against a small S3 server run here (in memory, on loopback)
// that checks every request's AWS Signature V4 on its own (node:crypto, not the code under test)
// and answers like S3: PUT / GET with Range / HEAD / DELETE, XML errors, 403 and 404. The signer
// itself is checked against AWS's published examples.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockAttempt } from '../mock-calls/attempts';
import { recordingFixture, setupMockCohort } from '../mock-calls/test-fixtures';
import { createRecording, finishRecording, putChunk, recordingForListener } from './recordings';
import {
	recordingStorage,
	S3Error,
	S3Storage,
	setRecordingStorage,
	signV4,
	sigV4
} from './storage';

const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

describe('SigV4 signer: AWS published examples', () => {
	const suite = {
		region: 'us-east-1',
		service: 'service',
		accessKeyId: 'AKIDEXAMPLE',
		secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
	};
	const vanillaHeaders = { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' };

	it('get-vanilla (AWS SigV4 test suite)', () => {
		const r = sigV4({
			...suite,
			method: 'GET',
			url: new URL('https://example.amazonaws.com/'),
			headers: vanillaHeaders,
			payloadHash: sha256hex('')
		});
		expect(r.canonicalRequest).toBe(
			'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
		);
		expect(r.authorization).toBe(
			'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'
		);
	});

	it('get-vanilla-query-order-key-case: the query is sorted before signing', () => {
		const r = sigV4({
			...suite,
			method: 'GET',
			url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'),
			headers: vanillaHeaders,
			payloadHash: sha256hex('')
		});
		expect(r.signature).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
	});

	// Amazon S3 API reference, "Signature calculations for the Authorization header", examples.
	const s3 = {
		region: 'us-east-1',
		accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
		secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
	};
	const at = new Date('2013-05-24T00:00:00Z');

	it('S3 GET object with a Range', () => {
		const h = signV4(
			s3,
			'GET',
			new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
			{ range: 'bytes=0-9' },
			sha256hex(''),
			at
		);
		expect(h.authorization).toBe(
			'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'
		);
		expect(h['x-amz-content-sha256']).toBe(sha256hex(''));
		expect(h['x-amz-date']).toBe('20130524T000000Z');
	});

	it('S3 PUT object: payload hash signed, "$" in the key encoded', () => {
		const payload = sha256hex('Welcome to Amazon S3.');
		expect(payload).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
		const h = signV4(
			s3,
			'PUT',
			new URL('https://examplebucket.s3.amazonaws.com/test$file.text'),
			{ Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
			payload,
			at
		);
		expect(h.authorization).toMatch(
			/SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/
		);
	});

	it('S3 list objects: query parameters', () => {
		const h = signV4(
			s3,
			'GET',
			new URL('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J'),
			{},
			sha256hex(''),
			at
		);
		expect(h.authorization).toMatch(
			/Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/
		);
	});
});

// ───────────── the fake S3 ─────────────
const CREDS = { accessKeyId: 'AKFAKE0000000001', secretAccessKey: 'fake/secret+key=0123456789' };
const REGION = 'eu-test-1';
const BUCKET = 'call-recordings';

type Verdict = { method: string; path: string; ok: boolean; why?: string; signed?: string[] };

/** RFC 3986 encoding of one path segment, as S3 canonicalises it. */
const encodeSegment = (s: string) =>
	encodeURIComponent(s).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()
	);

/** Checks a request's SigV4 the way S3 does; returns why it fails, or null. */
function verify(req: IncomingMessage, body: Buffer, secret = CREDS.secretAccessKey): string | null {
	const auth = req.headers.authorization ?? '';
	const m =
		/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
			auth
		);
	if (!m) return `malformed authorization "${auth}"`;
	const [, key, day, region, service, signedList, signature] = m;
	if (key !== CREDS.accessKeyId) return 'unknown access key';
	if (region !== REGION || service !== 's3') return 'wrong scope';
	const amzDate = String(req.headers['x-amz-date'] ?? '');
	if (amzDate.slice(0, 8) !== day) return 'scope date differs from x-amz-date';
	const when = Date.parse(
		`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`
	);
	if (!(Math.abs(Date.now() - when) < 15 * 60_000)) return 'request time too skewed';
	const contentSha = String(req.headers['x-amz-content-sha256'] ?? '');
	if (contentSha !== sha256hex(body)) return 'x-amz-content-sha256 does not match the body';
	const signed = signedList.split(';');
	for (const need of ['host', 'x-amz-date', 'x-amz-content-sha256'])
		if (!signed.includes(need)) return `${need} is not signed`;
	if (req.headers.range !== undefined && !signed.includes('range')) return 'range is not signed';
	const url = new URL(req.url ?? '/', 'http://x');
	const canonical = [
		req.method,
		url.pathname
			.split('/')
			.map((s) => encodeSegment(decodeURIComponent(s)))
			.join('/'),
		[...url.searchParams.entries()]
			.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`)
			.sort()
			.join('&'),
		signed
			.map(
				(h) =>
					`${h}:${String(req.headers[h] ?? '')
						.trim()
						.replace(/\s+/g, ' ')}\n`
			)
			.join(''),
		signedList,
		contentSha
	].join('\n');
	const toSign = [
		'AWS4-HMAC-SHA256',
		amzDate,
		`${day}/${region}/s3/aws4_request`,
		sha256hex(canonical)
	].join('\n');
	let k = hmac(`AWS4${secret}`, day);
	for (const part of [region, 's3', 'aws4_request']) k = hmac(k, part);
	const expected = createHmac('sha256', k).update(toSign).digest('hex');
	return expected === signature ? null : 'signature does not match';
}

type FakeS3 = {
	endpoint: string;
	objects: Map<string, Buffer>;
	log: Verdict[];
	mode: { deny?: boolean; ignoreRange?: boolean; wrongRange?: boolean; stall?: boolean };
	close(): Promise<void>;
};

const xmlError = (res: ServerResponse, status: number, code: string, message: string) =>
	res
		.writeHead(status, { 'content-type': 'application/xml' })
		.end(
			`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`
		);

async function fakeS3(): Promise<FakeS3> {
	const fake: FakeS3 = {
		endpoint: '',
		objects: new Map(),
		log: [],
		mode: {},
		close: async () => {}
	};
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			if (fake.mode.stall) return; // never answers
			const body = Buffer.concat(chunks);
			const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
			const why = verify(req, body);
			fake.log.push({
				method: req.method ?? '',
				path,
				ok: why === null,
				why: why ?? undefined,
				signed: /SignedHeaders=([^,]+)/.exec(req.headers.authorization ?? '')?.[1].split(';')
			});
			if (why) return xmlError(res, 403, 'SignatureDoesNotMatch', why);
			if (fake.mode.deny) return xmlError(res, 403, 'AccessDenied', 'Access Denied');
			if (!path.startsWith(`/${BUCKET}/`))
				return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
			const object = fake.objects.get(path);
			switch (req.method) {
				case 'PUT':
					fake.objects.set(path, body);
					return res.writeHead(200, { etag: `"${sha256hex(body).slice(0, 32)}"` }).end();
				case 'DELETE':
					fake.objects.delete(path);
					return res.writeHead(204).end();
				case 'HEAD':
					if (!object) return res.writeHead(404).end();
					return res.writeHead(200, { 'content-length': object.length }).end();
				case 'GET': {
					if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
					const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
					if (!range || fake.mode.ignoreRange)
						return res.writeHead(200, { 'content-length': object.length }).end(object);
					const start = Number(range[1]);
					const end = Math.min(
						range[2] === '' ? object.length - 1 : Number(range[2]),
						object.length - 1
					);
					if (start >= object.length || end < start)
						return res.writeHead(416, { 'content-range': `bytes */${object.length}` }).end();
					const part = object.subarray(start, end + 1);
					const shown = fake.mode.wrongRange
						? `bytes 0-${part.length - 1}`
						: `bytes ${start}-${end}`;
					return res
						.writeHead(206, {
							'content-range': `${shown}/${object.length}`,
							'content-length': part.length
						})
						.end(part);
				}
			}
			xmlError(res, 405, 'MethodNotAllowed', 'not here');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	fake.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	fake.close = () =>
		new Promise((r) => {
			server.closeAllConnections();
			server.close(() => r());
		});
	return fake;
}

const store = (f: FakeS3, over: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) =>
	new S3Storage({ endpoint: f.endpoint, region: REGION, bucket: BUCKET, ...CREDS, ...over });

async function readAll(s: ReadableStream<Uint8Array>) {
	return Buffer.from(await new Response(s).arrayBuffer());
}
const failure = (p: Promise<unknown>) =>
	p.then(
		() => 'resolved',
		(e) => (e instanceof S3Error ? `${e.status} ${e.s3Code}` : (e as Error).message)
	);

let s3: FakeS3;
beforeAll(async () => {
	s3 = await fakeS3();
});
afterEach(() => {
	s3.mode = {};
	s3.log = [];
	s3.objects.clear();
});
afterAll(async () => {
	await s3.close();
});

describe('S3 store against a signature-checking S3', () => {
	it('puts, reads whole and by range, measures and deletes objects', async () => {
		const st = store(s3);
		const data = new Uint8Array(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251));
		await st.put('chunks/abc/000001', data);
		expect(Buffer.compare(s3.objects.get(`/${BUCKET}/chunks/abc/000001`)!, Buffer.from(data))).toBe(
			0
		);
		expect(
			Buffer.compare(Buffer.from((await st.get('chunks/abc/000001'))!), Buffer.from(data))
		).toBe(0);
		expect(await st.size('chunks/abc/000001')).toBe(70_000);
		const part = await readAll(await st.stream('chunks/abc/000001', 1000, 1099));
		expect(Buffer.compare(part, Buffer.from(data.subarray(1000, 1100)))).toBe(0);
		const tail = await readAll(await st.stream('chunks/abc/000001', 69_990, 69_999));
		expect([...tail]).toEqual([...data.subarray(69_990)]);
		await st.delete('chunks/abc/000001');
		expect(s3.objects.size).toBe(0);
		expect(await st.get('chunks/abc/000001')).toBeNull();
		expect(await st.size('chunks/abc/000001')).toBeNull();
		await st.delete('chunks/abc/000001'); // deleting what is gone is fine
		// Every request carried a signature the server verified, with the payload hash signed.
		expect(s3.log.length).toBe(9);
		expect(s3.log.filter((v) => !v.ok)).toEqual([]);
		for (const v of s3.log) expect(v.signed).toContain('x-amz-content-sha256');
		expect(s3.log.filter((v) => v.method === 'GET' && v.signed!.includes('range'))).toHaveLength(2);
	});

	it('a wrong secret is refused by the server (the fake really checks) and reported', async () => {
		const bad = store(s3, { secretAccessKey: 'not-the-secret' });
		expect(await failure(bad.put('a/b', new Uint8Array([1, 2, 3])))).toBe(
			'403 SignatureDoesNotMatch'
		);
		expect(s3.log[0]).toMatchObject({ ok: false, why: 'signature does not match' });
		expect(s3.objects.size).toBe(0);
	});

	it('403 is an error, never "no such object"; 404 is null', async () => {
		const st = store(s3);
		await st.put('x/1', new Uint8Array([9]));
		s3.mode.deny = true;
		expect(await failure(st.get('x/1'))).toBe('403 AccessDenied');
		expect(await failure(st.size('x/1'))).toBe('403 null');
		expect(await failure(st.stream('x/1', 0, 0))).toBe('403 AccessDenied');
		expect(await failure(st.delete('x/1'))).toBe('403 AccessDenied');
		expect(await failure(st.put('x/2', new Uint8Array([1])))).toBe('403 AccessDenied');
		s3.mode.deny = false;
		expect(await st.get('x/404')).toBeNull();
		// A wrong bucket is an error, not a missing recording.
		const elsewhere = store(s3, { bucket: 'no-such-bucket' });
		expect(await failure(elsewhere.get('x/1'))).toBe('404 NoSuchBucket');
		expect(await failure(elsewhere.delete('x/1'))).toBe('404 NoSuchBucket');
	});

	it('a store that ignores Range still yields the range; a wrong range is refused', async () => {
		const st = store(s3);
		const data = new Uint8Array(Array.from({ length: 5000 }, (_, i) => i % 256));
		await st.put('r/1', data);
		s3.mode.ignoreRange = true;
		expect([...(await readAll(await st.stream('r/1', 4000, 4009)))]).toEqual([
			...data.subarray(4000, 4010)
		]);
		s3.mode = { wrongRange: true };
		expect(await failure(st.stream('r/1', 100, 199))).toMatch(/^206/);
		s3.mode = {};
		await st.delete('r/1');
	});

	it('a store that never answers fails in time; bad keys never reach it', async () => {
		s3.mode.stall = true;
		const st = store(s3, { timeoutMs: 200 });
		expect(await failure(st.put('s/1', new Uint8Array([1])))).toMatch(/no answer/);
		for (const key of ['a//b', 'a/./b', 'a/../b', '../x', 'A/B', 'a/b c'])
			expect(await failure(st.get(key))).toMatch(/bad storage key/);
	});
});

describe('recording upload end to end on S3 (store configured from the environment)', () => {
	const WEBM = recordingFixture('tone-3s.webm');
	const env = {
		RECORDINGS_S3_BUCKET: BUCKET,
		RECORDINGS_S3_ENDPOINT: '',
		RECORDINGS_S3_REGION: REGION,
		RECORDINGS_S3_ACCESS_KEY_ID: CREDS.accessKeyId,
		RECORDINGS_S3_SECRET_ACCESS_KEY: CREDS.secretAccessKey
	};
	beforeAll(() => {
		Object.assign(process.env, { ...env, RECORDINGS_S3_ENDPOINT: s3.endpoint });
		setRecordingStorage(null);
	});
	afterAll(() => {
		for (const k of Object.keys(env)) delete process.env[k];
		setRecordingStorage(null);
	});

	it('chunks go to S3, the assembled recording is stored and served by range, chunks removed', async () => {
		expect(recordingStorage().name).toBe('s3');
		const { examiner, trainee } = await setupMockCohort();
		const attemptId = await startMockAttempt(trainee, 'mock-call', 'self-paced', null);
		const rec = await createRecording(trainee, attemptId, 1);
		const cuts = [0, 1000, 2500, WEBM.length];
		for (let i = 0; i < 3; i++)
			await putChunk(trainee, rec.id, i, WEBM.subarray(cuts[i], cuts[i + 1]));
		expect([...s3.objects.keys()].sort()).toEqual(
			[0, 1, 2].map((i) => `/${BUCKET}/chunks/${rec.id}/00000${i}`)
		);
		const done = await finishRecording(trainee, rec.id, 3);
		expect(done.bytes).toBe(WEBM.length);
		expect(done.durationMs).toBeGreaterThan(2900);
		// Only the assembled recording is left, byte for byte.
		expect([...s3.objects.keys()]).toEqual([`/${BUCKET}/recordings/${rec.id}`]);
		expect(
			Buffer.compare(s3.objects.get(`/${BUCKET}/recordings/${rec.id}`)!, Buffer.from(WEBM))
		).toBe(0);
		// What the audio endpoint does for the examiner's player: size, then a range.
		const heard = await recordingForListener(examiner, rec.id);
		const st = recordingStorage();
		expect(await st.size(heard.storageKey)).toBe(WEBM.length);
		const head = await readAll(await st.stream(heard.storageKey, 0, 99));
		expect(Buffer.compare(head, Buffer.from(WEBM.subarray(0, 100)))).toBe(0);
		expect(s3.log.length).toBeGreaterThan(8);
		expect(s3.log.filter((v) => !v.ok)).toEqual([]);
	});
});

import { promisify } from 'node:util';
import {
	brotliCompress as brotliCallback,
	brotliCompressSync,
	constants,
	gzip as gzipCallback,
	gzipSync
} from 'node:zlib';

// A page of up to a few hundred KB compresses in well under a millisecond: in line, that is a
// third of the CPU of the thread-pool round trip (measured 0.09 vs 0.18–0.27 ms for the 64 KB exam
// page at gzip level 1). Larger bodies (exports) go off the event loop, so that they do not hold
// up everyone else's autosave.
export const COMPRESS_IN_LINE_MAX_BYTES = 256 * 1024;

// Brotli at quality 1 is both smaller and faster than gzip at level 1 (the 67 KB exam page:
// 11.4 KB in 0.11 ms against 11.5 KB in 0.34 ms on the bench machine). Browsers offer it over
// https, which the app needs off loopback anyway (the session cookie is Secure there); gzip
// stays for plain http and older clients.
const brotliOptions = (body: Uint8Array) => ({
	params: {
		[constants.BROTLI_PARAM_QUALITY]: 1,
		[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
		[constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength
	}
});
const brotli = promisify(brotliCallback);
const gzip = promisify(gzipCallback);
const encoders = {
	br: (body: Uint8Array) =>
		body.byteLength <= COMPRESS_IN_LINE_MAX_BYTES
			? brotliCompressSync(body, brotliOptions(body))
			: brotli(body, brotliOptions(body)),
	gzip: (body: Uint8Array) =>
		body.byteLength <= COMPRESS_IN_LINE_MAX_BYTES
			? gzipSync(body, { level: 1 })
			: gzip(body, { level: 1 })
};
type Encoding = keyof typeof encoders;

/** The encoding to answer with: brotli, else gzip, when the client accepts it (`q=0` refuses
 *  one, `*` stands for any not named). */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
	if (!acceptEncoding) return null;
	const accepted = new Map<string, boolean>();
	for (const part of acceptEncoding.toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		accepted.set(name.trim(), q === undefined || Number(q.slice(2)) > 0);
	}
	for (const encoding of ['br', 'gzip'] as const)
		if (accepted.get(encoding) ?? accepted.get('*')) return encoding;
	return null;
}

/** The response compressed when the client accepts it and it is worth it (HTML, JSON, CSV of
 *  1 KB or more). adapter-node serves static files precompressed but not the pages it renders;
 *  HTML and JSON compress 5–10×, which matters for lesson pages and exam data on a slow office
 *  network. The fastest settings keep most of that for a fraction of the CPU (a whole cohort
 *  opens the exam page at once). */
export async function compress(request: Request, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (
		!/^(text\/html|application\/json|text\/csv)/.test(type) ||
		response.headers.has('content-encoding') ||
		!response.body ||
		response.status === 204 ||
		Number(response.headers.get('content-length') ?? Infinity) < 1024
	)
		return response;
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	if (!encoding) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('Vary', 'Accept-Encoding');
	if (body.byteLength < 1024)
		return new Response(body, {
			status: response.status,
			statusText: response.statusText,
			headers
		});
	headers.set('Content-Encoding', encoding);
	headers.delete('Content-Length');
	return new Response(await encoders[encoding](body), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}

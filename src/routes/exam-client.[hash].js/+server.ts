import { code, hash } from 'virtual:exam-client';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chooseEncoding } from '$lib/server/http/compress';
import type { RequestHandler } from './$types';

// The written-test page's script (see the exam-client plugin in vite.config.ts). Its URL holds
// its content hash, so browsers keep it for good; compressed once, at start, at the best ratio.
const body = new TextEncoder().encode(code);
const encoded = {
	br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
	gzip: gzipSync(body, { level: 9 })
};

export const GET: RequestHandler = ({ params, request }) => {
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	const headers: Record<string, string> = {
		'content-type': 'text/javascript; charset=utf-8',
		vary: 'Accept-Encoding',
		// Private: the response carries the session cookie's renewal. An old hash (a page
		// rendered before an upgrade) gets today's script, not to be kept.
		'cache-control':
			params.hash === hash ? 'private, max-age=31536000, immutable' : 'private, no-cache'
	};
	if (encoding) headers['content-encoding'] = encoding;
	return new Response(encoding ? encoded[encoding] : body, { headers });
};

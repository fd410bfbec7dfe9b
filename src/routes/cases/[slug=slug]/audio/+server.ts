import { error } from '@sveltejs/kit';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { audioPath, canHearCase, findCase } from '$lib/server/cases/library';
import type { RequestHandler } from './$types';

// The case recording, for signed-in people allowed to hear it (training material, never public).
// Supports byte ranges so the browser can seek; inline, never sniffed as anything but audio.
export const GET: RequestHandler = async ({ locals, params, request }) => {
	if (!(await canHearCase(locals.user!, params.slug))) error(404, 'not found');
	const path = audioPath(params.slug);
	const size = statSync(path).size;
	const etag = `"${findCase(params.slug)!.hash}-${size}"`;
	const headers: Record<string, string> = {
		'Content-Type': 'audio/ogg',
		'Content-Disposition': 'inline',
		'X-Content-Type-Options': 'nosniff',
		'Accept-Ranges': 'bytes',
		'Cache-Control': 'private, max-age=3600',
		ETag: etag
	};
	if (request.headers.get('if-none-match') === etag)
		return new Response(null, { status: 304, headers });
	const range = request.headers.get('range');
	if (range) {
		const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
		let start = m && m[1] !== '' ? Number(m[1]) : NaN;
		let end = m && m[2] !== '' ? Number(m[2]) : size - 1;
		if (m && m[1] === '' && m[2] !== '') {
			// Suffix range: the last N bytes.
			start = Math.max(0, size - Number(m[2]));
			end = size - 1;
		}
		if (!m || !Number.isFinite(start) || start >= size || end < start) {
			return new Response(null, {
				status: 416,
				headers: { ...headers, 'Content-Range': `bytes */${size}` }
			});
		}
		end = Math.min(end, size - 1);
		const stream = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream;
		return new Response(stream, {
			status: 206,
			headers: {
				...headers,
				'Content-Range': `bytes ${start}-${end}/${size}`,
				'Content-Length': String(end - start + 1)
			}
		});
	}
	const stream = Readable.toWeb(createReadStream(path)) as ReadableStream;
	return new Response(stream, {
		status: 200,
		headers: { ...headers, 'Content-Length': String(size) }
	});
};

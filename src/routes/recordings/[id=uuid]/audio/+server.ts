import { error } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { recordingForListener } from '$lib/server/recordings/recordings';
import { recordingStorage } from '$lib/server/recordings/storage';
import type { RequestHandler } from './$types';

// A finished recording, for its maker and the staff who may grade the attempt; anyone else gets
// 404. Byte ranges for seeking; inline as audio only (nosniff), never cached publicly.
export const GET: RequestHandler = async ({ locals, params, request }) => {
	let rec;
	try {
		rec = await recordingForListener(locals.user!, params.id);
	} catch (e) {
		if (e instanceof RuleViolation) error(404, 'not found');
		throw e;
	}
	const storage = recordingStorage();
	const size = await storage.size(rec.storageKey);
	if (size === null) error(404, 'not found');
	const type = rec.container === 'ogg' ? 'audio/ogg' : 'audio/webm';
	const headers: Record<string, string> = {
		'Content-Type': type,
		'Content-Disposition': `inline; filename="recording-${rec.id.slice(0, 8)}.${rec.container ?? 'webm'}"`,
		'X-Content-Type-Options': 'nosniff',
		'Accept-Ranges': 'bytes',
		'Cache-Control': 'private, no-store',
		ETag: `"${rec.id}-${size}"`
	};
	const range = request.headers.get('range');
	if (range) {
		const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
		let start = m && m[1] !== '' ? Number(m[1]) : NaN;
		let end = m && m[2] !== '' ? Number(m[2]) : size - 1;
		if (m && m[1] === '' && m[2] !== '') {
			start = Math.max(0, size - Number(m[2]));
			end = size - 1;
		}
		if (!m || !Number.isFinite(start) || start >= size || end < start)
			return new Response(null, {
				status: 416,
				headers: { ...headers, 'Content-Range': `bytes */${size}` }
			});
		end = Math.min(end, size - 1);
		return new Response(await storage.stream(rec.storageKey, start, end), {
			status: 206,
			headers: {
				...headers,
				'Content-Range': `bytes ${start}-${end}/${size}`,
				'Content-Length': String(end - start + 1)
			}
		});
	}
	if (size === 0)
		return new Response(null, { status: 200, headers: { ...headers, 'Content-Length': '0' } });
	return new Response(await storage.stream(rec.storageKey, 0, size - 1), {
		status: 200,
		headers: { ...headers, 'Content-Length': String(size) }
	});
};

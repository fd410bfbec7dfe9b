import { json } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { limits, putChunk } from '$lib/server/recordings/recordings';
import type { RequestHandler } from './$types';

// One chunk of a recording, by its index (0-based). Idempotent: the same bytes again are
// acknowledged; the body is read up to the chunk limit and refused beyond it.
export const PUT: RequestHandler = async ({ locals, params, request }) => {
	if (!/^\d{1,6}$/.test(params.index)) return json({ error: 'invalid' }, { status: 400 });
	const declared = Number(request.headers.get('content-length') ?? '0');
	try {
		if (declared > limits.maxChunkBytes)
			throw new RuleViolation('rec_too_large', undefined, {
				mb: Math.round(limits.maxBytes / 1024 / 1024)
			});
		const data = new Uint8Array(await request.arrayBuffer());
		return json(await putChunk(locals.user!, params.id, Number(params.index), data));
	} catch (e) {
		if (e instanceof RuleViolation) {
			const status =
				e.code === 'error_not_found'
					? 404
					: e.code === 'rec_chunk_conflict'
						? 409
						: e.code === 'rec_too_large'
							? 413
							: e.code === 'rec_closed'
								? 409
								: 415;
			return json(
				{ error: ruleMessage(e), code: e.code },
				{ status: e.code === 'rec_empty' || e.code === 'rec_bad_chunk' ? 400 : status }
			);
		}
		throw e;
	}
};

import { json } from '@sveltejs/kit';
import { saveResponse } from '$lib/server/attempts/attempts';
import type { RequestHandler } from './$types';

// The autosave endpoint: small, and on the hot path of exam day. The answer is acknowledged
// only after the database has committed it.
export const POST: RequestHandler = async ({ locals, params, request }) => {
	let body: { itemId?: unknown; value?: unknown; seq?: unknown };
	try {
		body = await request.json();
	} catch {
		return json({ status: 'invalid' }, { status: 400 });
	}
	if (typeof body?.itemId !== 'string' || typeof body.seq !== 'number')
		return json({ status: 'invalid' }, { status: 400 });
	const result = await saveResponse(
		locals.user!,
		params.id,
		body.itemId,
		body.value ?? null,
		body.seq
	);
	const status =
		result.status === 'saved' || result.status === 'stale'
			? 200
			: result.status === 'closed'
				? 409
				: 400;
	return json({ ...result, serverNow: new Date().toISOString() }, { status });
};

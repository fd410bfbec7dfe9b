import { json } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { liveStatus } from '$lib/server/mock-calls/live';
import type { RequestHandler } from './$types';

// The live console polls this: where the call stands and the server's clock for the timer.
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return json(await liveStatus(locals.user!, params.id), {
			headers: { 'cache-control': 'no-store' }
		});
	} catch (e) {
		if (e instanceof RuleViolation) return json({ error: 'not found' }, { status: 404 });
		throw e;
	}
};

import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { RuleViolation } from '$lib/server/errors';
import { mockTakingView } from '$lib/server/mock-calls/attempts';
import { recordingsOfAttempt } from '$lib/server/recordings/recordings';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		const view = await mockTakingView(locals.user!, params.id);
		const recs = (await recordingsOfAttempt(view.id)).map((r) => ({
			id: r.id,
			callNo: r.callNo,
			segment: r.segment,
			state: r.state,
			durationMs: r.durationMs,
			bytes: r.bytes
		}));
		return { view, recordings: recs };
	} catch (e) {
		if (e instanceof RuleViolation) error(404, m.error_not_found());
		throw e;
	}
}) satisfies PageServerLoad;

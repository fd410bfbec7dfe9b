import { json } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { saveLiveDraft } from '$lib/server/mock-calls/live';
import type { RequestHandler } from './$types';

// Autosave of the examiner's rubric draft from the live console (scores, timestamped notes,
// overall comment). Every request names the version it was based on; a stale one gets 409.
export const POST: RequestHandler = async ({ locals, params, request, getClientAddress }) => {
	let body: Record<string, unknown>;
	try {
		body = await request.json();
	} catch {
		return json({ error: 'invalid' }, { status: 400 });
	}
	try {
		return json(
			await saveLiveDraft(
				locals.user!,
				params.id,
				{
					scores: (body.scores && typeof body.scores === 'object' ? body.scores : {}) as Record<
						string,
						unknown
					>,
					comments: body.comments,
					summary: typeof body.summary === 'string' ? body.summary : '',
					expectedVersion: Number.isInteger(body.expectedVersion)
						? (body.expectedVersion as number)
						: -1
				},
				getClientAddress()
			)
		);
	} catch (e) {
		if (e instanceof RuleViolation)
			return json(
				{ error: ruleMessage(e), code: e.code },
				{
					status: e.code === 'ca_grading_conflict' ? 409 : e.code === 'error_not_found' ? 404 : 400
				}
			);
		throw e;
	}
};

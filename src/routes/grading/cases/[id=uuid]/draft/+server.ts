import { json } from '@sveltejs/kit';
import { saveCaseDraft, submitCaseGrading } from '$lib/server/cases/grading';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { RequestHandler } from './$types';

// Draft autosave and submit of a rubric grading (marker or moderator). Every request names the
// version it was based on; a stale one gets 409 with a message, never overwrites.
export const POST: RequestHandler = async ({ locals, params, request, getClientAddress }) => {
	let body: Record<string, unknown>;
	try {
		body = await request.json();
	} catch {
		return json({ error: 'invalid' }, { status: 400 });
	}
	const role = body.role === 'moderator' ? 'moderator' : 'marker';
	const input = {
		scores: (body.scores && typeof body.scores === 'object' ? body.scores : {}) as Record<
			string,
			unknown
		>,
		comments: body.comments,
		summary: typeof body.summary === 'string' ? body.summary : '',
		reason: typeof body.reason === 'string' ? body.reason : undefined,
		expectedVersion: Number.isInteger(body.expectedVersion) ? (body.expectedVersion as number) : -1
	};
	try {
		if (body.action === 'submit') {
			const result = await submitCaseGrading(
				locals.user!,
				params.id,
				role,
				input,
				getClientAddress()
			);
			return json({ submitted: true, ...result });
		}
		return json(await saveCaseDraft(locals.user!, params.id, role, input, getClientAddress()));
	} catch (e) {
		if (e instanceof RuleViolation)
			return json(
				{ error: ruleMessage(e), code: e.code },
				{ status: e.code === 'ca_grading_conflict' ? 409 : 400 }
			);
		throw e;
	}
};

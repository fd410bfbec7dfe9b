import { error, fail, redirect } from '@sveltejs/kit';
import { examAvailability, startAttempt } from '$lib/server/attempts/attempts';
import { examSummary } from '$lib/server/attempts/views';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const summary = examSummary(params.exam);
	if (!summary) error(404, 'not found');
	const availability = await examAvailability(locals.user!, params.exam);
	return {
		summary,
		availability,
		blockedMessage: availability.blocked
			? ruleMessage(new RuleViolation(availability.blocked))
			: null
	};
}) satisfies PageServerLoad;

export const actions = {
	start: async ({ locals, params }) => {
		let id: string;
		try {
			id = await startAttempt(locals.user!, params.exam);
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
		redirect(303, `/attempts/${id}`);
	}
} satisfies Actions;

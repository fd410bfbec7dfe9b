import { fail, redirect } from '@sveltejs/kit';
import { submitMine } from '$lib/server/attempts/attempts';
import { caseResultView, caseTakingView } from '$lib/server/cases/attempts';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		const attempt = await caseTakingView(locals.user!, params.id);
		// After release the page shows the result; before, only what the trainee wrote.
		const result =
			attempt.state === 'released' ? await caseResultView(locals.user!, params.id) : null;
		return { attempt, result };
	} catch (e) {
		if (e instanceof RuleViolation) redirect(303, '/case-analysis');
		throw e;
	}
}) satisfies PageServerLoad;

export const actions = {
	submit: async ({ locals, params }) => {
		try {
			await submitMine(locals.user!, params.id);
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
		return { submitted: true };
	}
} satisfies Actions;

import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { caseGradingView } from '$lib/server/cases/grading';
import { RuleViolation } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		return { g: await caseGradingView(locals.user!, params.id) };
	} catch (e) {
		if (e instanceof RuleViolation) error(404, m.error_not_found());
		throw e;
	}
}) satisfies PageServerLoad;

import { error } from '@sveltejs/kit';
import { examAvailability } from '$lib/server/attempts/attempts';
import { examSummary } from '$lib/server/attempts/views';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

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

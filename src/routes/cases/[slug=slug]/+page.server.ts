import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { caseForPlayer } from '$lib/server/cases/library';
import { RuleViolation } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		return { c: await caseForPlayer(locals.user!, params.slug) };
	} catch (e) {
		if (e instanceof RuleViolation) error(404, m.error_not_found());
		throw e;
	}
}) satisfies PageServerLoad;

import { error } from '@sveltejs/kit';
import { reviewView } from '$lib/server/attempts/views';
import { RuleViolation } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		return { review: await reviewView(locals.user!, params.id) };
	} catch (e) {
		if (e instanceof RuleViolation) error(404, 'not found');
		throw e;
	}
}) satisfies PageServerLoad;

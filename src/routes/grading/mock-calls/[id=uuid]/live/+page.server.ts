import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { RuleViolation } from '$lib/server/errors';
import { liveConsoleView } from '$lib/server/mock-calls/live';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	let view;
	try {
		view = await liveConsoleView(locals.user!, params.id);
	} catch (e) {
		if (e instanceof RuleViolation) error(404, m.error_not_found());
		throw e;
	}
	// Graded: nothing is live any more; the grading page shows the result.
	if (view.state === 'graded' || view.state === 'released')
		redirect(303, `/grading/mock-calls/${params.id}`);
	return { view };
}) satisfies PageServerLoad;

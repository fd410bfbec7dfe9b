import { fail, redirect } from '@sveltejs/kit';
import { examAvailability, startAttempt } from '$lib/server/attempts/attempts';
import { takingViewOf } from '$lib/server/attempts/views';
import { RuleViolation } from '$lib/server/errors';
import { examClientSrc } from '$lib/server/exam-client';
import { ruleMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// Starting answers with the test itself rather than redirecting to it: when a whole cohort
// starts at once, one round trip per trainee instead of two (one session lookup, one pass
// through the hooks). The exam script then gives the address bar the attempt's own address.
// Like the attempt's page, rendered on the server only.
export const csr = false;

export const load = (async ({ locals, request, params }) => {
	// Only the start's answer is shown here. Reached otherwise (an address typed, the language
	// switched on the test's first page): to the test when one is open, else the exam's page.
	if (request.method !== 'POST') {
		// An exam that does not exist is the exam page's 404 to tell.
		const open = await examAvailability(locals.user!, params.exam).catch((e: unknown) => {
			if (e instanceof RuleViolation) return null;
			throw e;
		});
		redirect(
			303,
			open?.openAttemptId ? `/attempts/${open.openAttemptId}` : `/exams/${params.exam}`
		);
	}
	return {};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, params }) => {
		try {
			const attempt = await startAttempt(locals.user!, params.exam);
			return { attempt: takingViewOf(attempt), clientSrc: examClientSrc };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { answerFromForm, sameAnswer } from '$lib/exam-form';
import { saveResponse, submitMine, writtenAttemptForTaker } from '$lib/server/attempts/attempts';
import { takingView } from '$lib/server/attempts/views';
import { RuleViolation } from '$lib/server/errors';
import { examClientSrc } from '$lib/server/exam-client';
import { ruleMessage } from '$lib/server/forms';
import { renderOnly } from '$lib/render-only';
import type { Actor } from '$lib/server/people/roles';
import type { Actions, PageServerLoad } from './$types';

// Rendered on the server only: the page is a plain form, and a small standalone script
// (src/lib/exam-client, about 3 KB gzip) adds autosave, the clock and the rest, instead of the
// framework (58 KB).
export const csr = false;

export const load = (async ({ locals, params }) => {
	try {
		return {
			attempt: renderOnly(await takingView(locals.user!, params.id)),
			clientSrc: examClientSrc
		};
	} catch (e) {
		if (e instanceof RuleViolation) redirect(303, '/exams');
		throw e;
	}
}) satisfies PageServerLoad;

/** Without JavaScript the whole form arrives at once: store every answer that changed. */
async function saveForm(
	actor: Actor,
	attemptId: string,
	form: FormData
): Promise<'saved' | 'closed'> {
	const attempt = await writtenAttemptForTaker(actor, attemptId);
	if (attempt.state !== 'in_progress') return 'closed';
	for (const item of attempt.paper.sections.flatMap((s) => s.items)) {
		const value = answerFromForm(item, form);
		const stored = attempt.responses[item.id];
		if (sameAnswer(value, stored?.value ?? null)) continue;
		const result = await saveResponse(actor, attemptId, item.id, value, (stored?.seq ?? 0) + 1);
		if (result.status === 'closed') return 'closed';
	}
	return 'saved';
}

export const actions = {
	save: async ({ locals, params, request }) => {
		try {
			const result = await saveForm(locals.user!, params.id, await request.formData());
			return result === 'saved' ? { saved: true } : fail(409, { closed: true });
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
	},
	submit: async ({ locals, params, request }) => {
		try {
			await saveForm(locals.user!, params.id, await request.formData());
			await submitMine(locals.user!, params.id);
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
		return { submitted: true };
	}
} satisfies Actions;

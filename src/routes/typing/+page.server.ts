import { fail } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { PASSAGES } from '$lib/server/profiles/passages';
import { recordTypingAttempt, typingAttemptsOf } from '$lib/server/profiles/typing';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	passages: PASSAGES,
	attempts: await typingAttemptsOf(locals.user!, locals.user!.id)
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const f = await request.formData();
		try {
			const attempt = await recordTypingAttempt(locals.user!, {
				passageId: String(f.get('passageId') ?? ''),
				text: String(f.get('text') ?? '').slice(0, 5000),
				durationMs: Number(f.get('durationMs'))
			});
			return { attempt };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;

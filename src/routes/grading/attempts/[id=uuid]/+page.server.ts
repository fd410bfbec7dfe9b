import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { renderStem } from '$lib/server/content/markdown';
import { attemptForGrading, gradeShortItem } from '$lib/server/attempts/grading';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		const a = await attemptForGrading(locals.user!, params.id);
		return {
			attempt: { ...a, items: a.items.map((i) => ({ ...i, stemHtml: renderStem(i.stem) })) }
		};
	} catch (e) {
		if (e instanceof RuleViolation) error(404, m.error_not_found());
		throw e;
	}
}) satisfies PageServerLoad;

export const actions = {
	grade: async ({ locals, params, request, getClientAddress }) => {
		const form = await request.formData();
		const itemId = String(form.get('itemId') ?? '');
		const comment = String(form.get('comment') ?? '').trim();
		const awarded: Record<string, number> = {};
		for (const [k, v] of form.entries())
			if (k.startsWith('p.') && v !== '') awarded[k.slice(2)] = Number(v);
		try {
			const { complete } = await gradeShortItem(
				locals.user!,
				params.id,
				itemId,
				awarded,
				comment,
				getClientAddress()
			);
			return { itemId, notice: complete ? m.grading_complete() : m.grading_saved() };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { itemId, error: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;

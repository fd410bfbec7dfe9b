import { fail } from '@sveltejs/kit';
import { getCohort, saveCohortDocument } from '$lib/server/cohorts/cohorts';
import { renderMarkdown } from '$lib/server/content/markdown';
import { cohortFigures, summaryTemplate } from '$lib/server/cohorts/overview';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const cohort = await getCohort(locals.user!, params.id);
	if (cohort.role === 'examiner') return { forbidden: true as const };
	const figures = await cohortFigures(locals.user!, params.id);
	return {
		forbidden: false as const,
		cohort: {
			id: cohort.id,
			name: cohort.name,
			role: cohort.role,
			workPlan: cohort.workPlan,
			summary: cohort.summary
		},
		workPlanHtml: renderMarkdown(cohort.workPlan),
		summaryHtml: renderMarkdown(cohort.summary),
		template: summaryTemplate(cohort.name, figures, getLocale() === 'en' ? 'en' : 'zh-CN'),
		figures
	};
}) satisfies PageServerLoad;

async function save(
	doc: 'workPlan' | 'summary',
	{ request, locals, params, getClientAddress }: Parameters<Actions[string]>[0]
) {
	const f = await request.formData();
	try {
		await saveCohortDocument(
			locals.user!,
			params.id!,
			doc,
			String(f.get('text') ?? ''),
			getClientAddress()
		);
		return { saved: doc };
	} catch (e) {
		if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e), doc });
		throw e;
	}
}

export const actions = {
	workPlan: (event) => save('workPlan', event),
	summary: (event) => save('summary', event)
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import {
	caseAvailability,
	caseExamSlugs,
	myCaseAttempts,
	requireCaseExam,
	startCaseAttempt
} from '$lib/server/cases/attempts';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const exams = await Promise.all(
		caseExamSlugs().map(async (slug) => {
			const { exam } = requireCaseExam(slug);
			const d = exam.definition;
			return {
				slug,
				title: d.title,
				titleEn: d.titleEn,
				timeLimitMinutes: d.timeLimitMinutes,
				passMark: d.passMark,
				draw: d.draw,
				instructions: exam.instructions,
				instructionsEn: d.instructionsEn ?? null,
				availability: await caseAvailability(locals.user!, slug)
			};
		})
	);
	return { exams, attempts: await myCaseAttempts(locals.user!) };
}) satisfies PageServerLoad;

export const actions = {
	start: async ({ locals, request, getClientAddress }) => {
		const slug = String((await request.formData()).get('exam') ?? '');
		if (!caseExamSlugs().includes(slug)) return fail(400, { error: 'not found' });
		let id: string;
		try {
			id = await startCaseAttempt(locals.user!, slug, getClientAddress());
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
		redirect(303, `/case-analysis/${id}`);
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { findMockExam } from '$lib/server/content/index';
import { renderMarkdown } from '$lib/server/content/markdown';
import {
	mockAvailability,
	mockExamSlugs,
	myMockAttempts,
	startMockAttempt
} from '$lib/server/mock-calls/attempts';
import { MOCK_MODES, type MockMode } from '$lib/server/mock-calls/definitions';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const exams = await Promise.all(
		mockExamSlugs()
			.filter((e) => findMockExam(e.slug))
			.map(async ({ slug }) => {
				const exam = findMockExam(slug)!;
				return {
					slug,
					instructionsHtml: renderMarkdown(exam.instructions),
					instructionsEnHtml: exam.definition.instructionsEn
						? renderMarkdown(exam.definition.instructionsEn)
						: null,
					passMark: exam.definition.passMark,
					calls: exam.kind === 'mock_golive' ? exam.definition.calls : 1,
					availability: await mockAvailability(locals.user!, slug)
				};
			})
	);
	return { exams, attempts: await myMockAttempts(locals.user!) };
}) satisfies PageServerLoad;

export const actions = {
	start: async ({ locals, request, getClientAddress }) => {
		const form = await request.formData();
		const slug = String(form.get('exam') ?? '');
		const mode = String(form.get('mode') ?? 'self-paced') as MockMode;
		if (!mockExamSlugs().some((e) => e.slug === slug) || !MOCK_MODES.includes(mode))
			return fail(400, { error: m.error_not_found() });
		let id: string;
		try {
			id = await startMockAttempt(locals.user!, slug, mode, getClientAddress());
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { error: ruleMessage(e) });
			throw e;
		}
		redirect(303, `/mock-calls/${id}`);
	}
} satisfies Actions;

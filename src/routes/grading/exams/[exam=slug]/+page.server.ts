import { error } from '@sveltejs/kit';
import { analyseItems } from '$lib/server/attempts/analysis';
import { gradedAttemptsOf } from '$lib/server/attempts/grading';
import { examSummary } from '$lib/server/attempts/views';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const summary = examSummary(params.exam);
	if (!summary) error(404, 'not found');
	return { summary, analysis: analyseItems(await gradedAttemptsOf(locals.user!, params.exam)) };
}) satisfies PageServerLoad;

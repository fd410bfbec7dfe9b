import { myAssessments } from '$lib/server/attempts/views';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	stages: await myAssessments(locals.user!)
})) satisfies PageServerLoad;

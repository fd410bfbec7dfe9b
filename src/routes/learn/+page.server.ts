import { myLearningOverview } from '$lib/server/learning/views';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => myLearningOverview(locals.user!)) satisfies PageServerLoad;

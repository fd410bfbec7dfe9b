import { calibrationReport } from '$lib/server/cases/grading';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	rows: await calibrationReport(locals.user!)
})) satisfies PageServerLoad;

import { listCohorts } from '$lib/server/cohorts/cohorts';
import { hasRole } from '$lib/server/people/roles';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	cohorts: await listCohorts(locals.user!),
	canCreate: hasRole(locals.user, 'admin', 'hr')
})) satisfies PageServerLoad;

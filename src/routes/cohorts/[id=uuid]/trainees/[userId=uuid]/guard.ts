import { requireCohort } from '$lib/server/cohorts/access';
import { cohortTrainee } from '$lib/server/cohorts/cohorts';
import type { Actor } from '$lib/server/people/roles';

/** The trainee must be (or have been) in this cohort, and the actor must see the cohort. */
export async function requireCohortTrainee(actor: Actor, cohortId: string, userId: string) {
	const { cohort, role } = await requireCohort(actor, cohortId, ['manager', 'teacher', 'examiner']);
	await cohortTrainee(cohort.id, userId);
	return { cohort, role };
}

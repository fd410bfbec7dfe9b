// Who may see what: role AND object. Used by every cohort, profile, dossier and decision function.
import { error } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { assertRole } from '../errors';
import { hasRole, type Actor } from '../people/roles';
import { cohortExaminers, cohorts, enrollments } from './schema';

export type Cohort = typeof cohorts.$inferSelect;
/** manager: admin or HR (all cohorts, membership); teacher: the homeroom teacher; examiner: listed. */
export type CohortRole = 'manager' | 'teacher' | 'examiner';

export function forbidden(): never {
	error(403, 'forbidden');
}

export function notFound(): never {
	error(404, 'not found');
}

export async function cohortRole(
	actor: Actor,
	cohort: Cohort,
	exec: Executor = db
): Promise<CohortRole | null> {
	if (hasRole(actor, 'teacher') && cohort.teacherId === actor.id) return 'teacher';
	if (hasRole(actor, 'admin', 'hr')) return 'manager';
	if (hasRole(actor, 'examiner', 'teacher')) {
		const [row] = await exec
			.select({ id: cohortExaminers.userId })
			.from(cohortExaminers)
			.where(and(eq(cohortExaminers.cohortId, cohort.id), eq(cohortExaminers.userId, actor.id)));
		if (row) return 'examiner';
	}
	return null;
}

/** The cohort if the actor holds one of `allowed` on it; 404 when it does not exist, 403 otherwise. */
export async function requireCohort(
	actor: Actor,
	cohortId: string,
	allowed: CohortRole[],
	exec: Executor = db
): Promise<{ cohort: Cohort; role: CohortRole }> {
	assertRole(actor, 'teacher', 'examiner', 'hr', 'admin');
	const [cohort] = await exec.select().from(cohorts).where(eq(cohorts.id, cohortId));
	if (!cohort) notFound();
	const role = await cohortRole(actor, cohort, exec);
	if (!role || !allowed.includes(role)) forbidden();
	return { cohort, role };
}

/** How the actor sees one trainee's records.
 *  teacher: homeroom teacher of a cohort the trainee is or was enrolled in (private notes of those cohorts);
 *  examiner: listed examiner of the trainee's active cohort; hr: HR/admin, read-only, shared notes only;
 *  self: the trainee, no notes. */
export type TraineeAccess = {
	level: 'teacher' | 'examiner' | 'hr' | 'self';
	teacherCohortIds: string[];
};

export async function traineeAccess(
	actor: Actor,
	userId: string,
	exec: Executor = db
): Promise<TraineeAccess> {
	assertRole(actor, 'trainee', 'teacher', 'examiner', 'hr', 'admin');
	const rows = await exec
		.select({
			cohortId: enrollments.cohortId,
			active: enrollments.active,
			teacherId: cohorts.teacherId
		})
		.from(enrollments)
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.where(eq(enrollments.userId, userId));
	if (hasRole(actor, 'teacher')) {
		const mine = rows.filter((r) => r.teacherId === actor.id).map((r) => r.cohortId);
		if (mine.length) return { level: 'teacher', teacherCohortIds: mine };
	}
	if (hasRole(actor, 'examiner', 'teacher')) {
		const active = rows.filter((r) => r.active).map((r) => r.cohortId);
		for (const cohortId of active) {
			const [row] = await exec
				.select({ id: cohortExaminers.userId })
				.from(cohortExaminers)
				.where(and(eq(cohortExaminers.cohortId, cohortId), eq(cohortExaminers.userId, actor.id)));
			if (row) return { level: 'examiner', teacherCohortIds: [] };
		}
	}
	if (hasRole(actor, 'hr', 'admin')) return { level: 'hr', teacherCohortIds: [] };
	if (actor.id === userId && hasRole(actor, 'trainee'))
		return { level: 'self', teacherCohortIds: [] };
	forbidden();
}

/** The homeroom teacher of the trainee's ACTIVE cohort: the only person who writes their
 *  profile, notes and decisions. Returns that enrollment and cohort. */
export async function requireActiveTeacher(actor: Actor, userId: string, exec: Executor = db) {
	assertRole(actor, 'teacher');
	const [row] = await exec
		.select({ enrollment: enrollments, cohort: cohorts })
		.from(enrollments)
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.where(and(eq(enrollments.userId, userId), eq(enrollments.active, true)));
	if (!row || row.cohort.teacherId !== actor.id) forbidden();
	return row;
}

export async function activeEnrollmentOf(userId: string, exec: Executor = db) {
	const [row] = await exec
		.select()
		.from(enrollments)
		.where(and(eq(enrollments.userId, userId), eq(enrollments.active, true)));
	return row ?? null;
}

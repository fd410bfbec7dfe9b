// Demo: `trainee7` (何晓) in the demo cohort at the comprehensive-assessment stage, with the
// courses of both stages done, ready to sit the case analysis (demo data: the real path to the
// second stage is a teacher's pass decision on the first).
import { eq } from 'drizzle-orm';
import { enrollTx } from '../cohorts/cohorts';
import { cohorts, enrollments } from '../cohorts/schema';
import { getProgram, listCourses } from '../content/index';
import { db } from '../db/client';
import { completeLesson } from '../learning/progress';
import { users } from '../people/schema';

export const CASE_DEMO_LOGIN = 'trainee7';

export async function seedDemoCaseAnalysis(): Promise<void> {
	const [teacher] = await db.select().from(users).where(eq(users.login, 'teacher'));
	const [cohort] = teacher
		? await db.select().from(cohorts).where(eq(cohorts.teacherId, teacher.id)).limit(1)
		: [];
	if (!cohort) return;
	const [account] = await db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.login, CASE_DEMO_LOGIN));
	if (!account) return;
	const id = account.id;
	const { id: enrollmentId } = await db.transaction((tx) => enrollTx(tx, cohort, id));
	await db
		.update(enrollments)
		.set({ stageIndex: 1, stageStatus: 'in_training' })
		.where(eq(enrollments.id, enrollmentId));
	const actor = { id, login: CASE_DEMO_LOGIN, displayName: '何晓', roles: ['trainee' as const] };
	for (const stage of getProgram().stages.slice(0, 2))
		for (const slug of stage.courses)
			for (const lesson of listCourses().find((c) => c.slug === slug)?.lessons ?? [])
				await completeLesson(actor, lesson);
}

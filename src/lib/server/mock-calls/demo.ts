// Demo: two trainees of the demo cohort for mock calls — `trainee8` (林悦) at the
// comprehensive-assessment stage with its courses done (mock call), `trainee9` (郑凯) at the
// go-live stage (mock go-live shift). Demo data: the real path is a teacher's pass decisions.
import { eq } from 'drizzle-orm';
import { enrollTx } from '../cohorts/cohorts';
import { cohorts, enrollments } from '../cohorts/schema';
import { getProgram, listCourses } from '../content/index';
import { db } from '../db/client';
import { completeLesson } from '../learning/progress';
import { insertAccount } from '../people/accounts';
import { users } from '../people/schema';

export const MOCK_DEMO = [
	{ login: 'trainee8', displayName: '林悦', employeeNo: 'X2026008', stageIndex: 1 },
	{ login: 'trainee9', displayName: '郑凯', employeeNo: 'X2026009', stageIndex: 2 }
] as const;

export async function seedDemoMockCalls(password: string): Promise<void> {
	const [teacher] = await db.select().from(users).where(eq(users.login, 'teacher'));
	const [cohort] = teacher
		? await db.select().from(cohorts).where(eq(cohorts.teacherId, teacher.id)).limit(1)
		: [];
	if (!cohort) return;
	for (const d of MOCK_DEMO) {
		const { id } = await insertAccount({
			login: d.login,
			displayName: d.displayName,
			employeeNo: d.employeeNo,
			roles: ['trainee'],
			password
		});
		const { id: enrollmentId } = await db.transaction((tx) => enrollTx(tx, cohort, id));
		await db
			.update(enrollments)
			.set({ stageIndex: d.stageIndex, stageStatus: 'in_training' })
			.where(eq(enrollments.id, enrollmentId));
		const actor = { id, login: d.login, displayName: d.displayName, roles: ['trainee' as const] };
		for (const stage of getProgram().stages.slice(0, d.stageIndex + 1))
			for (const slug of stage.courses)
				for (const lesson of listCourses().find((c) => c.slug === slug)?.lessons ?? [])
					await completeLesson(actor, lesson);
	}
}

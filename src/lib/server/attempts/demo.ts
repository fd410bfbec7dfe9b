// Demo: two trainees (`trainee5` 周磊, `trainee6` 吴静) in the demo cohort, at the first
// stage, ready to study and sit the first written test.
import { eq } from 'drizzle-orm';
import { enrollTx } from '../cohorts/cohorts';
import { cohorts } from '../cohorts/schema';
import { db } from '../db/client';
import { users } from '../people/schema';

export async function seedDemoExamTakers(): Promise<void> {
	const [teacher] = await db.select().from(users).where(eq(users.login, 'teacher'));
	const [cohort] = teacher
		? await db.select().from(cohorts).where(eq(cohorts.teacherId, teacher.id)).limit(1)
		: [];
	if (!cohort) return;
	for (const login of ['trainee5', 'trainee6']) {
		const [u] = await db.select().from(users).where(eq(users.login, login));
		if (u) await db.transaction((tx) => enrollTx(tx, cohort, u.id));
	}
}

// Test helpers: a cohort with its staff and trainees in the real test database.
import { makeActor } from '../testing/fixtures';
import { createCohort } from './cohorts';
import { commitImport } from './import';
import { db } from '../db/client';
import { users } from '../people/schema';
import { eq } from 'drizzle-orm';
import type { Actor } from '../people/roles';
import { PROFILE_SKILLS } from '../../skills';

let n = 0;

export async function setupCohort(traineeCount = 2) {
	n++;
	const admin = await makeActor(['admin']);
	const hr = await makeActor(['hr']);
	const teacher = await makeActor(['teacher']);
	const otherTeacher = await makeActor(['teacher']);
	const examiner = await makeActor(['examiner']);
	const otherExaminer = await makeActor(['examiner']);
	const { id: cohortId } = await createCohort(
		admin,
		{
			name: `测试班 ${n}`,
			programSlug: 'onboarding',
			startsOn: '2026-03-01',
			endsOn: '2026-04-10',
			teacherId: teacher.id,
			examinerIds: [examiner.id]
		},
		null
	);
	const rows = Array.from({ length: traineeCount }, (_, i) => ({
		line: i + 2,
		name: `学员${n}-${i}`,
		employeeNo: `T${n}X${i}${Math.floor(Math.random() * 1e6)}`,
		phone: '',
		email: `t${n}-${i}@example.com`,
		login: `tr${n}-${i}-${Math.floor(Math.random() * 1e6)}`
	}));
	const imported = rows.length ? await commitImport(teacher, cohortId, rows, null) : [];
	const trainees: (Actor & { password: string })[] = [];
	for (const r of imported) {
		const [u] = await db.select().from(users).where(eq(users.login, r.login));
		trainees.push({
			id: u.id,
			login: u.login,
			displayName: u.displayName,
			roles: ['trainee'],
			password: r.oneTimePassword!
		});
	}
	return { admin, hr, teacher, otherTeacher, examiner, otherExaminer, cohortId, trainees };
}

export const FULL_SCORES = (value: 5 | 3 | 1 = 5, overrides: Record<string, number> = {}) =>
	Object.fromEntries(PROFILE_SKILLS.map((s) => [s, overrides[s] ?? value]));

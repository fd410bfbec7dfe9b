// The demo cohort: teacher `teacher`, examiner `examiner`, trainees `trainee`, `trainee2`,
// `trainee3`; a final interview for `trainee` and a draft for `trainee2`, a typing attempt,
// a few notes and one first-stage decision history (retrain, then a correction).
import { eq, inArray } from 'drizzle-orm';
import { db } from '../db/client';
import { recordDecision } from '../decisions/decisions';
import { recordDossierEvent } from '../dossier/events';
import { addCohortNote, addTraineeNote } from '../dossier/notes';
import type { Actor, Role } from '../people/roles';
import { userRoles, users } from '../people/schema';
import { finaliseProfile, saveProfileDraft } from '../profiles/profiles';
import { PASSAGES } from '../profiles/passages';
import { recordTypingAttempt } from '../profiles/typing';
import { createCohort } from './cohorts';
import { commitImport } from './import';
import { enrollments } from './schema';

async function actor(login: string): Promise<Actor> {
	const [u] = await db.select().from(users).where(eq(users.login, login));
	const roles = (await db.select().from(userRoles).where(eq(userRoles.userId, u.id))).map(
		(r) => r.role as Role
	);
	return { id: u.id, login: u.login, displayName: u.displayName, roles };
}

const SCORES = (overrides: Record<string, number>) => ({
	'self-intro': 5,
	'polite-phrases': 5,
	'speaking-rate': 3,
	intonation: 5,
	volume: 5,
	'verbal-tics': 3,
	patience: 5,
	mandarin: 5,
	'timely-response': 3,
	questioning: 3,
	restating: 1,
	'answer-accuracy': 3,
	'plain-language': 5,
	'clear-reasoning': 3,
	empathy: 5,
	'no-deflecting': 3,
	...overrides
});

export async function seedDemoCohort(): Promise<void> {
	const [admin, teacher, examiner, t1, t2, t3] = await Promise.all(
		['admin', 'teacher', 'examiner', 'trainee', 'trainee2', 'trainee3'].map(actor)
	);
	const today = new Date();
	const iso = (d: Date) => d.toISOString().slice(0, 10);
	const { id: cohortId } = await createCohort(
		admin,
		{
			name: '2026 年第一期新员工培训班',
			programSlug: 'onboarding',
			startsOn: iso(new Date(today.getTime() - 10 * 864e5)),
			endsOn: iso(new Date(today.getTime() + 25 * 864e5)),
			teacherId: teacher.id,
			examinerIds: [examiner.id]
		},
		null
	);
	await commitImport(
		teacher,
		cohortId,
		[t1, t2, t3].map((t, i) => ({
			line: i + 2,
			name: t.displayName,
			employeeNo: '',
			phone: '',
			email: '',
			login: t.login
		})),
		null
	);
	await finaliseProfile(
		teacher,
		t1.id,
		{
			scores: SCORES({}),
			itemNotes: { restating: '复述时容易漏掉关键信息', empathy: '能主动体谅对方处境' },
			overallNote: '性格开朗，表达自然；复述问题需要多练。'
		},
		null
	);
	await saveProfileDraft(
		teacher,
		t2.id,
		{ scores: { 'self-intro': 3, 'polite-phrases': 5 }, itemNotes: {}, overallNote: '' },
		null
	);
	const p = PASSAGES[0];
	await recordTypingAttempt(t1, {
		passageId: p.id,
		text: p.text.slice(0, 150),
		durationMs: 100_000
	});
	await addTraineeNote(
		teacher,
		t1.id,
		{ kind: 'praise', body: '小组练习中主动帮助同学整理笔记。', sharedWithHr: true },
		null
	);
	await addTraineeNote(
		teacher,
		t1.id,
		{ kind: 'talk', body: '谈到夜班顾虑，已说明排班方式，情绪稳定。', sharedWithHr: false },
		null
	);
	await addCohortNote(
		teacher,
		cohortId,
		{ kind: 'observation', body: '第一周整体状态积极，模拟练习参与度高。', sharedWithHr: true },
		null
	);
	// A first-assessment result (as the written-test feature will record it), then the decisions.
	const [enrollment] = await db
		.select()
		.from(enrollments)
		.where(inArray(enrollments.userId, [t1.id]));
	const { id: evidence } = await recordDossierEvent(db, {
		userId: t1.id,
		enrollmentId: enrollment.id,
		kind: 'assessment',
		at: new Date(),
		title: '第一次考核 · 笔试（演示成绩）',
		titleEn: 'First assessment: written test (demo score)',
		score: 54,
		maxScore: 100,
		passed: false,
		actorId: examiner.id,
		ref: { type: 'demo', id: 'first-written-demo' }
	});
	const version = async () =>
		(await db.select().from(enrollments).where(eq(enrollments.id, enrollment.id)))[0].version;
	const due = iso(new Date(today.getTime() + 5 * 864e5));
	const first = await recordDecision(
		teacher,
		t1.id,
		{
			outcome: 'eliminate',
			reason: '笔试未达到及格线。',
			evidence: [evidence],
			expectedVersion: await version()
		},
		null
	);
	await recordDecision(
		teacher,
		t1.id,
		{
			outcome: 'retrain',
			reason: '首次考核差距不大，学习态度好，改为再培训一次。',
			evidence: [evidence],
			retrainPlan: { lessons: [], assessments: ['first-written'], dueOn: due },
			supersedesId: first.id,
			expectedVersion: await version()
		},
		null
	);
}

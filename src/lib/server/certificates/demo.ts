// Demo: one certified trainee (`trainee4`, 王芳) in the demo cohort, with stage results, the
// final pass decision and the certificate issued through this domain, so HR's pages have a
// record to open on `npm start`.
import { eq } from 'drizzle-orm';
import { enrollTx } from '../cohorts/cohorts';
import { cohorts, enrollments } from '../cohorts/schema';
import { getProgram } from '../content';
import { db } from '../db/client';
import { recordDecision } from '../decisions/decisions';
import { recordDossierEvent } from '../dossier/events';
import type { Actor, Role } from '../people/roles';
import { userRoles, users } from '../people/schema';
import { finaliseProfile } from '../profiles/profiles';
import { issueCertificate } from './certificates';

async function actor(login: string): Promise<Actor | null> {
	const [u] = await db.select().from(users).where(eq(users.login, login));
	if (!u) return null;
	const roles = (await db.select().from(userRoles).where(eq(userRoles.userId, u.id))).map(
		(r) => r.role as Role
	);
	return { id: u.id, login: u.login, displayName: u.displayName, roles };
}

const RESULTS: { title: string; titleEn: string; score: number }[] = [
	{ title: '第一次考核 · 笔试', titleEn: 'First assessment: written test', score: 86 },
	{
		title: '综合考核 · 笔试、案例分析与模拟电话',
		titleEn: 'Comprehensive assessment: written, case analysis and mock call',
		score: 82
	},
	{
		title: '模拟上岗 · 一个班次的模拟来电',
		titleEn: 'Mock go-live: a shift of simulated calls',
		score: 90
	}
];

export async function seedDemoCertificate(): Promise<void> {
	const [teacher, trainee, examiner] = await Promise.all(
		['teacher', 'trainee4', 'examiner'].map(actor)
	);
	if (!teacher || !trainee) return;
	const [cohort] = await db
		.select()
		.from(cohorts)
		.where(eq(cohorts.teacherId, teacher.id))
		.limit(1);
	if (!cohort) return;
	const { id: enrollmentId } = await db.transaction((tx) => enrollTx(tx, cohort, trainee.id));
	const scores: Record<string, number> = {
		'self-intro': 5,
		'polite-phrases': 5,
		'speaking-rate': 5,
		intonation: 3,
		volume: 5,
		'verbal-tics': 5,
		patience: 5,
		mandarin: 5,
		'timely-response': 5,
		questioning: 3,
		restating: 5,
		'answer-accuracy': 3,
		'plain-language': 5,
		'clear-reasoning': 5,
		empathy: 5,
		'no-deflecting': 5
	};
	await finaliseProfile(
		teacher,
		trainee.id,
		{
			scores,
			itemNotes: { questioning: '追问还不够具体' },
			overallNote: '沟通自然，耐心好；提问技巧需要在课程中加强。'
		},
		null
	);
	const program = getProgram(cohort.programSlug);
	const reasons = [
		'第一次考核成绩良好，进入下一阶段。',
		'综合考核各项均达标，进入模拟上岗。',
		'模拟上岗通话处理规范，准予正式上岗。'
	];
	for (let i = 0; i < program.stages.length; i++) {
		await db
			.update(enrollments)
			.set({ stageIndex: i, stageStatus: 'in_training' })
			.where(eq(enrollments.id, enrollmentId));
		const r = RESULTS[Math.min(i, RESULTS.length - 1)];
		const { id: evidence } = await recordDossierEvent(db, {
			userId: trainee.id,
			enrollmentId,
			kind: 'assessment',
			at: new Date(),
			title: `${r.title}（演示成绩）`,
			titleEn: `${r.titleEn} (demo score)`,
			score: r.score,
			maxScore: 100,
			passed: true,
			actorId: examiner?.id ?? teacher.id,
			ref: { type: 'demo', id: `${program.stages[i].slug}-demo` }
		});
		const [{ version }] = await db
			.select({ version: enrollments.version })
			.from(enrollments)
			.where(eq(enrollments.id, enrollmentId));
		const decision = await recordDecision(
			teacher,
			trainee.id,
			{
				outcome: 'pass',
				reason: reasons[Math.min(i, reasons.length - 1)],
				evidence: [evidence],
				expectedVersion: version
			},
			null
		);
		if (i === program.stages.length - 1)
			await db.transaction((tx) =>
				issueCertificate(tx, { enrollmentId, decisionId: decision.id, actorId: teacher.id })
			);
	}
}

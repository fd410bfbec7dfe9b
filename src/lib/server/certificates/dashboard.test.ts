// The dashboard's figures on known data made through the real decision and certificate paths:
// two cohorts, eight decisions of every outcome (one superseded), two certificates.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupCohort } from '../cohorts/test-fixtures';
import { enrollments } from '../cohorts/schema';
import { getProgram } from '../content';
import { db } from '../db/client';
import { recordDecision } from '../decisions/decisions';
import { recordDossierEvent } from '../dossier/events';
import type { Actor } from '../people/roles';
import { issueCertificate } from './certificates';
import {
	certifiedPerMonth,
	cohortFigures,
	overallFigures,
	stagePassRates,
	teacherFigures
} from './dashboard';

type Outcome = 'pass' | 'retrain' | 'eliminate';

async function decide(teacher: Actor, traineeId: string, outcome: Outcome, supersedesId?: string) {
	const [e] = await db.select().from(enrollments).where(eq(enrollments.userId, traineeId));
	const stage = getProgram(e.programSlug).stages[e.stageIndex];
	// The stage opens as the cohort's schedule would open it.
	if (e.stageStatus === 'not_started')
		await db
			.update(enrollments)
			.set({ stageStatus: 'in_training' })
			.where(eq(enrollments.id, e.id));
	const { id: evidence } = await recordDossierEvent(db, {
		userId: traineeId,
		enrollmentId: e.id,
		kind: 'assessment',
		at: new Date(),
		title: `${stage.title}（测试成绩）`,
		score: outcome === 'pass' ? 85 : 50,
		maxScore: 100,
		passed: outcome === 'pass',
		actorId: teacher.id,
		ref: { type: 'test', id: `${stage.slug}-${traineeId}-${Math.random()}` }
	});
	const due = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10);
	const d = await recordDecision(
		teacher,
		traineeId,
		{
			outcome,
			reason: '测试决定理由。',
			evidence: [evidence],
			retrainPlan:
				outcome === 'retrain'
					? { lessons: [], assessments: [stage.assessments[0].exam], dueOn: due }
					: undefined,
			supersedesId,
			expectedVersion: e.version
		},
		null
	);
	if (outcome === 'pass' && d.state.readyForCertification)
		await db.transaction((tx) =>
			issueCertificate(tx, { enrollmentId: e.id, decisionId: d.id, actorId: teacher.id })
		);
	return d;
}

let world: Awaited<ReturnType<typeof build>>;

async function build() {
	const a = await setupCohort(4);
	const b = await setupCohort(2);
	const [t0, t1, t2] = a.trainees;
	for (const o of ['pass', 'pass', 'pass'] as const) await decide(a.teacher, t0.id, o);
	for (const o of ['retrain', 'pass', 'pass'] as const) await decide(a.teacher, t1.id, o);
	await decide(a.teacher, t2.id, 'eliminate');
	const [u0, u1] = b.trainees;
	for (const o of ['pass', 'retrain', 'pass', 'pass'] as const) await decide(b.teacher, u0.id, o);
	const wrong = await decide(b.teacher, u1.id, 'eliminate');
	await decide(b.teacher, u1.id, 'retrain', wrong.id); // a correction: the elimination no longer counts
	const ago = (days: number) => new Date(Date.now() - days * 864e5);
	await db
		.update(enrollments)
		.set({ enrolledAt: ago(20) })
		.where(eq(enrollments.cohortId, a.cohortId));
	await db
		.update(enrollments)
		.set({ enrolledAt: ago(40) })
		.where(eq(enrollments.cohortId, b.cohortId));
	return { a, b };
}

beforeAll(async () => {
	world = await build();
});

describe('HR dashboard figures', () => {
	it('is for HR and admins only', async () => {
		const { a } = world;
		for (const who of [a.teacher, a.trainees[0], a.examiner])
			for (const f of [
				overallFigures,
				stagePassRates,
				certifiedPerMonth,
				teacherFigures,
				cohortFigures
			])
				await expect(f(who)).rejects.toMatchObject({ status: 403 });
		await expect(overallFigures(a.admin)).resolves.toMatchObject({ certified: 2 });
	});

	it('computes the overall figures', async () => {
		expect(await overallFigures(world.a.hr)).toEqual({
			id: 'all',
			name: '',
			teacherName: null,
			trainees: 6,
			decided: 5,
			certified: 2,
			firstDecisions: 10,
			firstPasses: 6,
			firstPassRate: 60,
			retrained: 3,
			retrainRate: 60,
			eliminated: 1,
			eliminationRate: 20,
			avgDaysToCertification: 30
		});
	});

	it('computes the pass rate per stage: first decisions vs passes', async () => {
		const stages = await stagePassRates(world.a.hr);
		expect(
			stages.map((s) => [s.stageSlug, s.firstDecisions, s.firstPasses, s.passes, s.firstPassRate])
		).toEqual([
			['first-assessment', 5, 2, 3, 40],
			['comprehensive-assessment', 3, 2, 3, 66.7],
			['go-live', 2, 2, 2, 100]
		]);
		expect(stages[0].title).toBe(getProgram('onboarding').stages[0].title);
	});

	it('computes the figures per cohort and per teacher, sortable', async () => {
		const { a, b } = world;
		const cohorts = await cohortFigures(a.hr, {}, { key: 'firstPassRate', dir: 'desc' });
		expect(cohorts.total).toBe(2);
		const pick = (g: {
			id: string;
			trainees: number;
			decided: number;
			certified: number;
			firstPassRate: number | null;
			retrainRate: number | null;
			eliminationRate: number | null;
			avgDaysToCertification: number | null;
		}) => [
			g.id,
			g.trainees,
			g.decided,
			g.certified,
			g.firstPassRate,
			g.retrainRate,
			g.eliminationRate,
			g.avgDaysToCertification
		];
		expect(cohorts.rows.map(pick)).toEqual([
			[a.cohortId, 4, 3, 1, 66.7, 33.3, 33.3, 20],
			[b.cohortId, 2, 2, 1, 50, 100, 0, 40]
		]);
		expect(cohorts.rows[0].teacherName).toBe(a.teacher.displayName);
		const byRetrain = await cohortFigures(a.hr, {}, { key: 'retrainRate', dir: 'desc' });
		expect(byRetrain.rows.map((r) => r.id)).toEqual([b.cohortId, a.cohortId]);
		const teachers = await teacherFigures(a.hr, {}, { key: 'avgDaysToCertification', dir: 'desc' });
		expect(teachers.map(pick)).toEqual([
			[b.teacher.id, 2, 2, 1, 50, 100, 0, 40],
			[a.teacher.id, 4, 3, 1, 66.7, 33.3, 33.3, 20]
		]);
		expect(teachers[0].name).toBe(b.teacher.displayName);
	});

	it('counts certificates per month over the last 12 months', async () => {
		const months = await certifiedPerMonth(world.a.hr);
		expect(months).toHaveLength(12);
		const thisMonth = new Intl.DateTimeFormat('en-CA', {
			timeZone: 'Asia/Shanghai',
			year: 'numeric',
			month: '2-digit'
		}).format(new Date());
		expect(months.at(-1)).toEqual({ month: thisMonth, certified: 2 });
		expect(months.slice(0, -1).every((m) => m.certified === 0)).toBe(true);
	});

	it('filters every figure by the date range', async () => {
		const hr = world.a.hr;
		const past = { from: '2000-01-01', to: '2000-03-31' };
		expect(await overallFigures(hr, past)).toMatchObject({
			trainees: 6,
			decided: 0,
			certified: 0,
			firstPassRate: null,
			retrainRate: null,
			avgDaysToCertification: null
		});
		expect(await stagePassRates(hr, past)).toEqual([]);
		expect(await certifiedPerMonth(hr, past)).toEqual([
			{ month: '2000-01', certified: 0 },
			{ month: '2000-02', certified: 0 },
			{ month: '2000-03', certified: 0 }
		]);
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
			new Date()
		);
		expect(await overallFigures(hr, { from: today, to: today })).toMatchObject({
			decided: 5,
			certified: 2,
			firstPassRate: 60,
			avgDaysToCertification: 30
		});
		// Reversed bounds are swapped, nonsense ignored.
		expect(await overallFigures(hr, { from: today, to: '2000-01-01' })).toMatchObject({
			certified: 2
		});
		expect(
			await overallFigures(hr, { from: "2026-01-01'; drop table users; --", to: 'x' })
		).toMatchObject({ certified: 2 });
	});
});

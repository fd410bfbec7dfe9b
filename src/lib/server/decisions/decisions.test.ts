import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enrollments } from '../cohorts/schema';
import { FULL_SCORES, setupCohort } from '../cohorts/test-fixtures';
import { db } from '../db/client';
import { dossierTimeline, recordDossierEvent } from '../dossier/events';
import { RuleViolation } from '../errors';
import { finaliseProfile } from '../profiles/profiles';
import { decisionHistory, recordDecision, verifyDecisionChain } from './decisions';

const rule = (code: string) => expect.objectContaining({ code }) as unknown as RuleViolation;
const due = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10);

async function ready(traineeCount = 1) {
	const a = await setupCohort(traineeCount);
	const t = a.trainees[0];
	await finaliseProfile(
		a.teacher,
		t.id,
		{ scores: FULL_SCORES(3), itemNotes: {}, overallNote: '' },
		null
	);
	const { id: evidence } = await recordDossierEvent(db, {
		userId: t.id,
		kind: 'assessment',
		at: new Date(),
		title: '第一次考核 · 笔试',
		score: 52,
		maxScore: 100,
		passed: false,
		ref: { type: 'attempt', id: crypto.randomUUID() }
	});
	const version = async () =>
		(await db.select().from(enrollments).where(eq(enrollments.userId, t.id)))[0].version;
	return { ...a, t, evidence, version };
}

const plan = { lessons: ['service-concepts/' + 'x'], assessments: ['first-written'], dueOn: due };

describe('stage decisions', () => {
	it('only the homeroom teacher decides; reason, evidence and a retrain plan are required', async () => {
		const a = await ready();
		const base = {
			outcome: 'pass' as const,
			reason: '成绩达标',
			evidence: [a.evidence],
			expectedVersion: await a.version()
		};
		for (const who of [a.otherTeacher, a.examiner, a.hr, a.admin, a.t])
			await expect(recordDecision(who, a.t.id, base, null)).rejects.toMatchObject({ status: 403 });
		await expect(recordDecision(a.teacher, a.t.id, { ...base, reason: ' ' }, null)).rejects.toEqual(
			rule('cohorts_error_reason_required')
		);
		await expect(
			recordDecision(a.teacher, a.t.id, { ...base, evidence: [] }, null)
		).rejects.toEqual(rule('cohorts_error_evidence_required'));
		const other = await ready();
		await expect(
			recordDecision(a.teacher, a.t.id, { ...base, evidence: [other.evidence] }, null)
		).rejects.toEqual(rule('cohorts_error_evidence_invalid'));
		await expect(
			recordDecision(a.teacher, a.t.id, { ...base, outcome: 'retrain' }, null)
		).rejects.toEqual(rule('cohorts_error_plan_required'));
		await expect(
			recordDecision(a.teacher, a.t.id, { ...base, outcome: 'retrain', retrainPlan: plan }, null)
		).rejects.toEqual(rule('cohorts_error_plan_item'));
		await expect(
			recordDecision(
				a.teacher,
				a.t.id,
				{
					...base,
					outcome: 'retrain',
					retrainPlan: { lessons: [], assessments: ['first-written'], dueOn: '2020-01-01' }
				},
				null
			)
		).rejects.toEqual(rule('cohorts_error_plan_due_past'));
		expect(await decisionHistory(a.teacher, a.t.id)).toEqual([]);
	});

	it('enforces the retrain limit from the program file, then passes every stage to ready for certification', async () => {
		const a = await ready();
		const retrain = {
			outcome: 'retrain' as const,
			reason: '笔试未达标',
			evidence: [a.evidence],
			retrainPlan: { lessons: [], assessments: ['first-written'], dueOn: due }
		};
		for (let i = 0; i < 2; i++) {
			const r = await recordDecision(
				a.teacher,
				a.t.id,
				{ ...retrain, expectedVersion: await a.version() },
				null
			);
			expect(r.state).toMatchObject({ stageIndex: 0, status: 'in_training', retrains: i + 1 });
		}
		await expect(
			recordDecision(a.teacher, a.t.id, { ...retrain, expectedVersion: await a.version() }, null)
		).rejects.toEqual(rule('cohorts_error_retrain_limit'));
		for (const stage of [0, 1, 2]) {
			const r = await recordDecision(
				a.teacher,
				a.t.id,
				{
					outcome: 'pass',
					reason: '达标',
					evidence: [a.evidence],
					expectedVersion: await a.version()
				},
				null
			);
			expect(r.state.readyForCertification).toBe(stage === 2);
		}
		await expect(
			recordDecision(
				a.teacher,
				a.t.id,
				{
					outcome: 'pass',
					reason: '达标',
					evidence: [a.evidence],
					expectedVersion: await a.version()
				},
				null
			)
		).rejects.toEqual(rule('cohorts_error_enrollment_finished'));
		const history = await decisionHistory(a.hr, a.t.id);
		expect(history.map((d) => `${d.stageSlug}:${d.outcome}`)).toEqual([
			'first-assessment:retrain',
			'first-assessment:retrain',
			'first-assessment:pass',
			'comprehensive-assessment:pass',
			'go-live:pass'
		]);
		expect(history[0].evidence[0]).toMatchObject({ eventId: a.evidence, type: 'attempt' });
		expect((await dossierTimeline(a.t, a.t.id)).filter((e) => e.kind === 'decision')).toHaveLength(
			5
		);
		expect(await verifyDecisionChain()).toMatchObject({ ok: true });
	});

	it('decisions are append-only; a correction supersedes the latest decision from its earlier state', async () => {
		const a = await ready();
		const first = await recordDecision(
			a.teacher,
			a.t.id,
			{
				outcome: 'eliminate',
				reason: '多次缺勤',
				evidence: [a.evidence],
				expectedVersion: await a.version()
			},
			null
		);
		expect(first.state.status).toBe('eliminated');
		await expect(db.execute(sql`update stage_decisions set reason = 'x'`)).rejects.toThrow();
		await expect(db.execute(sql`delete from stage_decisions`)).rejects.toThrow();
		const fix = await recordDecision(
			a.teacher,
			a.t.id,
			{
				outcome: 'retrain',
				reason: '缺勤有病假证明，改为再培训',
				evidence: [a.evidence],
				retrainPlan: { lessons: [], assessments: ['first-written'], dueOn: due },
				supersedesId: first.id,
				expectedVersion: await a.version()
			},
			null
		);
		expect(fix.state).toMatchObject({ stageIndex: 0, status: 'in_training', retrains: 1 });
		const history = await decisionHistory(a.teacher, a.t.id);
		expect(history[0]).toMatchObject({ id: first.id, supersededBy: fix.id });
		expect(history[1]).toMatchObject({ id: fix.id, supersedesId: first.id });
		// Only the latest decision can be corrected.
		await expect(
			recordDecision(
				a.teacher,
				a.t.id,
				{
					outcome: 'pass',
					reason: '再改',
					evidence: [a.evidence],
					supersedesId: first.id,
					expectedVersion: await a.version()
				},
				null
			)
		).rejects.toEqual(rule('cohorts_error_supersede_latest'));
	});

	it('two concurrent decisions on the same stage: exactly one succeeds, the other gets a conflict', async () => {
		const a = await ready();
		const v = await a.version();
		const results = await Promise.allSettled([
			recordDecision(
				a.teacher,
				a.t.id,
				{ outcome: 'pass', reason: '通过', evidence: [a.evidence], expectedVersion: v },
				null
			),
			recordDecision(
				a.teacher,
				a.t.id,
				{ outcome: 'eliminate', reason: '淘汰', evidence: [a.evidence], expectedVersion: v },
				null
			)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(failed.reason).toMatchObject({ code: 'cohorts_error_conflict' });
		expect(await decisionHistory(a.teacher, a.t.id)).toHaveLength(1);
		// A stale form (old version) is refused too.
		await expect(
			recordDecision(
				a.teacher,
				a.t.id,
				{ outcome: 'pass', reason: '通过', evidence: [a.evidence], expectedVersion: v },
				null
			)
		).rejects.toEqual(rule('cohorts_error_conflict'));
	});

	it('no decision before the pre-training record opens training', async () => {
		const a = await setupCohort(1);
		const t = a.trainees[0];
		const { id } = await recordDossierEvent(db, {
			userId: t.id,
			kind: 'typing',
			at: new Date(),
			title: '打字',
			ref: { type: 'typing_attempt', id: crypto.randomUUID() }
		});
		await expect(
			recordDecision(
				a.teacher,
				t.id,
				{ outcome: 'pass', reason: '通过', evidence: [id], expectedVersion: 0 },
				null
			)
		).rejects.toEqual(rule('cohorts_error_stage_not_open'));
	});
});

// Stage decisions (pass / retrain / eliminate) by the homeroom teacher: a required reason,
// evidence chosen from the dossier timeline, a retrain plan for a retrain, the program's
// retrain limit, append-only with supersede, and an expected-version check so two teachers
// deciding the same stage at once cannot both succeed.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { chainHash, GENESIS_HASH, recordAudit } from '../audit/log';
import { issueCertificate, revokeForEnrollment } from '../certificates/certificates';
import { requireActiveTeacher, traineeAccess } from '../cohorts/access';
import { enrollments } from '../cohorts/schema';
import { db } from '../db/client';
import { recordDossierEvent } from '../dossier/events';
import { dossierEvents } from '../dossier/schema';
import { RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { listCourses } from '../content';
import { programOf, programShape } from './program';
import { stageDecisions, type EvidenceRef, type RetrainPlan } from './schema';
import { decide, type DecisionOutcome, type EnrollmentState } from './stage-machine';

export const EVIDENCE_KINDS = ['assessment', 'profile', 'typing'] as const;
const CHAIN_LOCK = 727_004;

export type DecisionInput = {
	outcome: DecisionOutcome;
	reason: string;
	/** Dossier timeline entry ids (kinds in EVIDENCE_KINDS). */
	evidence: string[];
	retrainPlan?: RetrainPlan | null;
	/** The enrollment version the teacher saw; a different current version is a conflict. */
	expectedVersion: number;
	/** Correcting an earlier decision: its id. Only the latest decision can be superseded. */
	supersedesId?: string | null;
};

const OUTCOME_TITLE: Record<DecisionOutcome, [string, string]> = {
	pass: ['通过', 'Pass'],
	retrain: ['再培训', 'Retrain'],
	eliminate: ['淘汰', 'Eliminate']
};

export const stateOf = (e: typeof enrollments.$inferSelect): EnrollmentState => ({
	stageIndex: e.stageIndex,
	status: e.stageStatus as EnrollmentState['status'],
	retrains: e.retrains,
	readyForCertification: e.readyForCertification
});

function isUniqueViolation(e: unknown): boolean {
	for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
		if ((c as { code?: string }).code === '23505') return true;
	return false;
}

export async function recordDecision(
	actor: Actor,
	userId: string,
	input: DecisionInput,
	ip: string | null
): Promise<{ id: string; state: EnrollmentState }> {
	const { enrollment, cohort } = await requireActiveTeacher(actor, userId);
	const program = programOf(enrollment.programSlug);
	const reason = input.reason.trim();
	if (!['pass', 'retrain', 'eliminate'].includes(input.outcome))
		throw new RuleViolation('cohorts_error_outcome', 'outcome');
	if (reason.length < 2) throw new RuleViolation('cohorts_error_reason_required', 'reason');
	if (reason.length > 2000) throw new RuleViolation('error_too_long', 'reason', { max: 2000 });
	const evidenceIds = [...new Set(input.evidence)];
	if (!evidenceIds.length) throw new RuleViolation('cohorts_error_evidence_required', 'evidence');
	let plan: RetrainPlan | null = null;
	if (input.outcome === 'retrain') {
		const p = input.retrainPlan;
		if (!p || (!p.lessons.length && !p.assessments.length))
			throw new RuleViolation('cohorts_error_plan_required', 'retrainPlan');
		if (!/^\d{4}-\d{2}-\d{2}$/.test(p.dueOn) || Number.isNaN(Date.parse(p.dueOn)))
			throw new RuleViolation('cohorts_error_plan_due', 'dueOn');
		if (p.dueOn < new Date().toISOString().slice(0, 10))
			throw new RuleViolation('cohorts_error_plan_due_past', 'dueOn');
		const lessons = new Set(
			listCourses().flatMap((c) => c.lessons.map((l) => `${c.slug}/${l.slug}`))
		);
		if (p.lessons.some((l) => !lessons.has(l)))
			throw new RuleViolation('cohorts_error_plan_item', 'retrainPlan');
		const exams = new Set(program.stages.flatMap((s) => s.assessments.map((a) => a.exam)));
		if (p.assessments.some((a) => !exams.has(a)))
			throw new RuleViolation('cohorts_error_plan_item', 'retrainPlan');
		plan = {
			lessons: [...new Set(p.lessons)],
			assessments: [...new Set(p.assessments)],
			dueOn: p.dueOn
		};
	}

	try {
		return await db.transaction(async (tx) => {
			const [current] = await tx
				.select()
				.from(enrollments)
				.where(eq(enrollments.id, enrollment.id));
			if (!current.active) throw new RuleViolation('cohorts_error_enrollment_inactive');
			if (current.version !== input.expectedVersion)
				throw new RuleViolation('cohorts_error_conflict');

			// Evidence: entries of this trainee's timeline, of an evidence kind.
			const events = await tx.select().from(dossierEvents).where(eq(dossierEvents.userId, userId));
			const byId = new Map(events.map((e) => [e.id, e]));
			const evidence: EvidenceRef[] = [];
			for (const id of evidenceIds) {
				const e = byId.get(id);
				if (!e || !(EVIDENCE_KINDS as readonly string[]).includes(e.kind))
					throw new RuleViolation('cohorts_error_evidence_invalid', 'evidence');
				evidence.push({ eventId: e.id, type: e.refType, id: e.refId });
			}

			let base = stateOf(current);
			if (input.supersedesId) {
				const [latest] = await tx
					.select()
					.from(stageDecisions)
					.where(eq(stageDecisions.enrollmentId, enrollment.id))
					.orderBy(desc(stageDecisions.seq))
					.limit(1);
				if (!latest || latest.id !== input.supersedesId)
					throw new RuleViolation('cohorts_error_supersede_latest');
				base = latest.stateBefore;
			}
			const t = decide(programShape(enrollment.programSlug), base, input.outcome);
			if (!t.ok) {
				if (t.error === 'retrain_limit')
					throw new RuleViolation('cohorts_error_retrain_limit', 'outcome', {
						max: program.stages[base.stageIndex].maxRetrains
					});
				if (t.error === 'finished')
					throw new RuleViolation('cohorts_error_enrollment_finished', 'outcome');
				throw new RuleViolation('cohorts_error_stage_not_open', 'outcome');
			}
			const after = t.state;
			const updated = await tx
				.update(enrollments)
				.set({
					stageIndex: after.stageIndex,
					stageStatus: after.status,
					retrains: after.retrains,
					readyForCertification: after.readyForCertification,
					version: sql`${enrollments.version} + 1`
				})
				.where(
					and(
						eq(enrollments.id, enrollment.id),
						eq(enrollments.version, input.expectedVersion),
						eq(enrollments.active, true)
					)
				)
				.returning({ version: enrollments.version });
			if (!updated.length) throw new RuleViolation('cohorts_error_conflict');

			await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
			const [last] = await tx
				.select({ hash: stageDecisions.hash })
				.from(stageDecisions)
				.orderBy(desc(stageDecisions.seq))
				.limit(1);
			const prevHash = last?.hash ?? GENESIS_HASH;
			const stage = program.stages[base.stageIndex];
			const row = {
				enrollmentId: enrollment.id,
				userId,
				stageSlug: stage.slug,
				stageIndex: base.stageIndex,
				outcome: input.outcome,
				reason,
				evidence,
				retrainPlan: plan,
				supersedesId: input.supersedesId ?? null,
				stateBefore: base,
				stateAfter: after,
				enrollmentVersion: input.expectedVersion,
				decidedBy: actor.id,
				decidedAt: new Date()
			};
			const hash = chainHash(prevHash, { ...row, decidedAt: row.decidedAt.toISOString() });
			const [inserted] = await tx
				.insert(stageDecisions)
				.values({ ...row, prevHash, hash })
				.returning({ id: stageDecisions.id });
			// Passing the last stage certifies; a correction that takes that pass back revokes.
			if (after.readyForCertification)
				await issueCertificate(tx, {
					enrollmentId: enrollment.id,
					decisionId: inserted.id,
					actorId: actor.id
				});
			else if (current.readyForCertification)
				await revokeForEnrollment(tx, enrollment.id, reason, actor);
			const [zh, en] = OUTCOME_TITLE[input.outcome];
			await recordDossierEvent(tx, {
				userId,
				enrollmentId: enrollment.id,
				kind: 'decision',
				at: row.decidedAt,
				title: `${stage.title}：${zh}${input.supersedesId ? '（更正）' : ''}`,
				titleEn: `${stage.titleEn}: ${en}${input.supersedesId ? ' (correction)' : ''}`,
				passed: input.outcome === 'pass',
				actorId: actor.id,
				ref: { type: 'decision', id: inserted.id },
				detail: {
					outcome: input.outcome,
					reason,
					retrainPlan: plan,
					supersedesId: input.supersedesId ?? null,
					readyForCertification: after.readyForCertification
				}
			});
			await recordAudit(
				{
					actor,
					action: 'decisions.record',
					target: `user:${userId}`,
					ip,
					detail: {
						decisionId: inserted.id,
						cohortId: cohort.id,
						stage: stage.slug,
						outcome: input.outcome,
						supersedes: input.supersedesId ?? null
					}
				},
				tx
			);
			return { id: inserted.id, state: after };
		});
	} catch (e) {
		// The unique (enrollment, version) and (supersedes) indexes back up the version check.
		if (isUniqueViolation(e)) throw new RuleViolation('cohorts_error_conflict');
		throw e;
	}
}

export type DecisionView = {
	id: string;
	stageSlug: string;
	stageIndex: number;
	outcome: DecisionOutcome;
	reason: string;
	evidence: EvidenceRef[];
	retrainPlan: RetrainPlan | null;
	supersedesId: string | null;
	supersededBy: string | null;
	decidedByName: string;
	decidedAt: Date;
	stateAfter: EnrollmentState;
};

/** Every decision on a trainee (all enrollments), oldest first; who may see the trainee may see these. */
export async function decisionHistory(actor: Actor, userId: string): Promise<DecisionView[]> {
	await traineeAccess(actor, userId);
	const rows = await db
		.select({ d: stageDecisions, name: users.displayName })
		.from(stageDecisions)
		.innerJoin(users, eq(users.id, stageDecisions.decidedBy))
		.where(eq(stageDecisions.userId, userId))
		.orderBy(asc(stageDecisions.seq));
	const supersededBy = new Map(
		rows.filter((r) => r.d.supersedesId).map((r) => [r.d.supersedesId!, r.d.id])
	);
	return rows.map(({ d, name }) => ({
		id: d.id,
		stageSlug: d.stageSlug,
		stageIndex: d.stageIndex,
		outcome: d.outcome,
		reason: d.reason,
		evidence: d.evidence,
		retrainPlan: d.retrainPlan ?? null,
		supersedesId: d.supersedesId,
		supersededBy: supersededBy.get(d.id) ?? null,
		decidedByName: name,
		decidedAt: d.decidedAt,
		stateAfter: d.stateAfter
	}));
}

export type ChainReport = { ok: true; rows: number } | { ok: false; brokenAt: string };

/** Walks the decisions' hash chain. */
export async function verifyDecisionChain(): Promise<ChainReport> {
	const rows = await db.select().from(stageDecisions).orderBy(asc(stageDecisions.seq));
	let prev = GENESIS_HASH;
	for (const r of rows) {
		const { id: _id, seq: _seq, prevHash, hash, ...content } = r;
		if (
			prevHash !== prev ||
			chainHash(prev, { ...content, decidedAt: r.decidedAt.toISOString() }) !== hash
		)
			return { ok: false, brokenAt: r.id };
		prev = hash;
	}
	return { ok: true, rows: rows.length };
}

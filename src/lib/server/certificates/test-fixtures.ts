// Test helpers: a trainee who passed the last stage, and their certificate.
import { eq } from 'drizzle-orm';
import { setupCohort } from '../cohorts/test-fixtures';
import { enrollments } from '../cohorts/schema';
import { getProgram } from '../content';
import { db } from '../db/client';
import { recordDecision } from '../decisions/decisions';
import { recordDossierEvent } from '../dossier/events';
import type { Actor } from '../people/roles';
import { issueCertificate } from './certificates';

/** Moves the trainee's enrollment to the last stage (as earlier pass decisions would) and
 *  records the final pass decision on a go-live score. */
export async function passFinalStage(teacher: Actor, traineeId: string, score = 88) {
	const [e] = await db.select().from(enrollments).where(eq(enrollments.userId, traineeId));
	const last = getProgram(e.programSlug).stages.length - 1;
	await db
		.update(enrollments)
		.set({ stageIndex: last, stageStatus: 'in_training' })
		.where(eq(enrollments.id, e.id));
	const { id: evidence } = await recordDossierEvent(db, {
		userId: traineeId,
		enrollmentId: e.id,
		kind: 'assessment',
		at: new Date(),
		title: '模拟上岗（测试成绩）',
		score,
		maxScore: 100,
		passed: true,
		actorId: teacher.id,
		ref: { type: 'test', id: `golive-${traineeId}` }
	});
	const [{ version }] = await db
		.select({ version: enrollments.version })
		.from(enrollments)
		.where(eq(enrollments.id, e.id));
	const decision = await recordDecision(
		teacher,
		traineeId,
		{
			outcome: 'pass',
			reason: '模拟上岗表现稳定，准予上岗。',
			evidence: [evidence],
			expectedVersion: version
		},
		null
	);
	return { enrollmentId: e.id, decisionId: decision.id };
}

/** A cohort with `count` certified trainees (the certificate issued through issueCertificate). */
export async function setupCertified(count = 1) {
	const setup = await setupCohort(count + 1);
	const certs = [];
	for (const t of setup.trainees.slice(0, count)) {
		const { enrollmentId, decisionId } = await passFinalStage(setup.teacher, t.id);
		certs.push(
			await db.transaction((tx) =>
				issueCertificate(tx, { enrollmentId, decisionId, actorId: setup.teacher.id })
			)
		);
	}
	return { ...setup, certs, uncertified: setup.trainees[count] };
}

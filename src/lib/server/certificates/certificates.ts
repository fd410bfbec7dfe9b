// Go-live certificates: issued inside the transaction of the final-stage pass decision,
// numbered per program and year without gaps, verified publicly by a random code, revoked by
// HR or an admin with a reason, expiring by date, and renewed by re-enrolling the person in the
// program's recurring stages.
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { and, asc, desc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { forbidden, notFound } from '../cohorts/access';
import { enrollTx } from '../cohorts/cohorts';
import { cohorts, enrollments } from '../cohorts/schema';
import { getProgram } from '../content';
import { db, type Executor } from '../db/client';
import { stageDecisions } from '../decisions/schema';
import { assertRole, RuleViolation } from '../errors';
import { hasRole, type Actor } from '../people/roles';
import { users } from '../people/schema';
import { certificateCounters, certificates } from './schema';

export type Certificate = typeof certificates.$inferSelect;
import type { CertificateState } from '../../records-shared';
export type { CertificateState };

/** Dates on certificates are calendar days in China. */
export const CERT_TIME_ZONE = 'Asia/Shanghai';

export function localDay(at: Date): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: CERT_TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(at);
}

/** The last valid day: the issue day plus `months` (clamped to the month's end), minus one day. */
export function validUntilFor(issueDay: string, months: number | undefined): string | null {
	if (!months) return null;
	const [y, m, d] = issueDay.split('-').map(Number);
	const target = new Date(Date.UTC(y, m - 1 + months, 1));
	const lastOfMonth = new Date(
		Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)
	).getUTCDate();
	target.setUTCDate(Math.min(d, lastOfMonth));
	target.setUTCDate(target.getUTCDate() - 1);
	return target.toISOString().slice(0, 10);
}

export function stateOf(
	c: Pick<Certificate, 'status' | 'validUntil'>,
	now = new Date()
): CertificateState {
	if (c.status === 'revoked') return 'revoked';
	if (c.validUntil && c.validUntil < localDay(now)) return 'expired';
	return 'valid';
}

/** 80 random bits as 16 base32 characters (A–Z, 2–7). */
export function newVerificationCode(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32UpperCaseNoPadding(bytes);
}

/** Shown and printed as XXXX-XXXX-XXXX-XXXX. */
export function groupCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** Accepts what a person types or a scanner reads: any case, spaces or dashes, and the digits
 *  people confuse with letters of the alphabet (0 → O, 1 → I, 8 → B). */
export function normalizeCode(input: string): string | null {
	const code = input
		.toUpperCase()
		.replace(/[\s-]/g, '')
		.replace(/0/g, 'O')
		.replace(/1/g, 'I')
		.replace(/8/g, 'B');
	return /^[A-Z2-7]{16}$/.test(code) ? code : null;
}

/** Issues the certificate for an enrollment whose last stage was just passed. Call it inside the
 *  transaction that records that pass decision, so both commit or neither does; calling it again
 *  for the same enrollment returns the certificate already issued. */
export async function issueCertificate(
	tx: Executor,
	input: { enrollmentId: string; decisionId: string; actorId: string | null }
): Promise<Certificate> {
	const [e] = await tx.select().from(enrollments).where(eq(enrollments.id, input.enrollmentId));
	if (!e) throw new Error(`enrollment ${input.enrollmentId} does not exist`);
	const [existing] = await tx
		.select()
		.from(certificates)
		.where(eq(certificates.enrollmentId, e.id));
	if (existing) return existing;
	if (!e.readyForCertification) throw new RuleViolation('records_error_not_ready');
	const [decision] = await tx
		.select()
		.from(stageDecisions)
		.where(eq(stageDecisions.id, input.decisionId));
	if (!decision || decision.enrollmentId !== e.id || decision.outcome !== 'pass')
		throw new RuleViolation('records_error_not_ready');
	const program = getProgram(e.programSlug);
	const issuedAt = new Date();
	const day = localDay(issuedAt);
	const year = Number(day.slice(0, 4));
	// The counter row is locked by this update until the transaction ends: concurrent issues wait,
	// and a rolled-back issue leaves no gap.
	const [{ last }] = await tx
		.insert(certificateCounters)
		.values({ programCode: program.code, year, last: 1 })
		.onConflictDoUpdate({
			target: [certificateCounters.programCode, certificateCounters.year],
			set: { last: sql`${certificateCounters.last} + 1` }
		})
		.returning({ last: certificateCounters.last });
	const number = `${program.code}-${year}-${String(last).padStart(6, '0')}`;
	const [cert] = await tx
		.insert(certificates)
		.values({
			number,
			verificationCode: newVerificationCode(),
			enrollmentId: e.id,
			userId: e.userId,
			cohortId: e.cohortId,
			decisionId: decision.id,
			programSlug: program.slug,
			programCode: program.code,
			programTitle: program.title,
			programTitleEn: program.titleEn,
			contentVersion: program.hash,
			issuedAt,
			validUntil: validUntilFor(day, program.certificateValidityMonths),
			issuedBy: input.actorId
		})
		.returning();
	const [who] = input.actorId
		? await tx
				.select({ id: users.id, login: users.login })
				.from(users)
				.where(eq(users.id, input.actorId))
		: [];
	await recordAudit(
		{
			actor: who ?? null,
			action: 'certificate.issue',
			target: `certificate:${cert.id}`,
			detail: { number, enrollmentId: e.id, decisionId: decision.id, userId: e.userId }
		},
		tx
	);
	return cert;
}

/** HR/admin: issues the certificate of an enrollment whose final pass decision has no certificate
 *  yet (records made before certificates existed). The latest pass decision is the grant. */
export async function issueMissingCertificate(
	actor: Actor,
	enrollmentId: string,
	ip: string | null
): Promise<Certificate> {
	assertRole(actor, 'hr', 'admin');
	return db.transaction(async (tx) => {
		const [d] = await tx
			.select({ id: stageDecisions.id })
			.from(stageDecisions)
			.where(and(eq(stageDecisions.enrollmentId, enrollmentId), eq(stageDecisions.outcome, 'pass')))
			.orderBy(desc(stageDecisions.seq))
			.limit(1);
		if (!d) throw new RuleViolation('records_error_not_ready');
		const cert = await issueCertificate(tx, { enrollmentId, decisionId: d.id, actorId: actor.id });
		await recordAudit(
			{ actor, action: 'certificate.issue_missing', target: `certificate:${cert.id}`, ip },
			tx
		);
		return cert;
	});
}

export type CertificateView = Certificate & {
	state: CertificateState;
	holderName: string;
	employeeNo: string | null;
	cohortName: string;
	decidedByName: string;
	decidedAt: Date;
	revokedByName: string | null;
	groupedCode: string;
};

async function loadView(
	where: ReturnType<typeof eq>,
	exec: Executor = db
): Promise<CertificateView[]> {
	const revoker = sql<
		string | null
	>`(select display_name from users r where r.id = ${certificates.revokedBy})`;
	const rows = await exec
		.select({
			c: certificates,
			holderName: users.displayName,
			employeeNo: users.employeeNo,
			cohortName: cohorts.name,
			decidedAt: stageDecisions.decidedAt,
			decidedBy: stageDecisions.decidedBy,
			revokedByName: revoker
		})
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.innerJoin(cohorts, eq(cohorts.id, certificates.cohortId))
		.innerJoin(stageDecisions, eq(stageDecisions.id, certificates.decisionId))
		.where(where)
		.orderBy(desc(certificates.issuedAt));
	const deciders = new Map<string, string>();
	for (const r of rows) {
		if (!deciders.has(r.decidedBy)) {
			const [u] = await exec
				.select({ name: users.displayName })
				.from(users)
				.where(eq(users.id, r.decidedBy));
			deciders.set(r.decidedBy, u?.name ?? '');
		}
	}
	return rows.map((r) => ({
		...r.c,
		state: stateOf(r.c),
		holderName: r.holderName,
		employeeNo: r.employeeNo,
		cohortName: r.cohortName,
		decidedByName: deciders.get(r.decidedBy) ?? '',
		decidedAt: r.decidedAt,
		revokedByName: r.revokedByName,
		groupedCode: groupCode(r.c.verificationCode)
	}));
}

/** HR and admins see every certificate; a trainee only their own; nobody else any. */
export async function getCertificate(
	actor: Actor,
	certificateId: string
): Promise<CertificateView> {
	assertRole(actor, 'trainee', 'teacher', 'examiner', 'hr', 'admin');
	const [view] = await loadView(eq(certificates.id, certificateId));
	if (!view) notFound();
	if (hasRole(actor, 'hr', 'admin')) return view;
	if (view.userId === actor.id && hasRole(actor, 'trainee')) return view;
	forbidden();
}

/** Certificates of one person, newest first (HR/admin any person; a trainee themself). */
export async function certificatesOf(actor: Actor, userId: string): Promise<CertificateView[]> {
	assertRole(actor, 'trainee', 'hr', 'admin');
	if (!hasRole(actor, 'hr', 'admin') && actor.id !== userId) forbidden();
	return loadView(eq(certificates.userId, userId));
}

export async function certificatesOfEnrollment(
	actor: Actor,
	enrollmentId: string
): Promise<CertificateView[]> {
	assertRole(actor, 'hr', 'admin');
	return loadView(eq(certificates.enrollmentId, enrollmentId));
}

export const REVOKE_REASON_MAX = 1000;

export async function revokeCertificate(
	actor: Actor,
	certificateId: string,
	reason: string,
	ip: string | null
): Promise<void> {
	assertRole(actor, 'hr', 'admin');
	const text = reason.trim();
	if (text.length < 2) throw new RuleViolation('records_error_reason_required', 'reason');
	if (text.length > REVOKE_REASON_MAX)
		throw new RuleViolation('error_too_long', 'reason', { max: REVOKE_REASON_MAX });
	await db.transaction(async (tx) => {
		const [c] = await tx
			.select()
			.from(certificates)
			.where(eq(certificates.id, certificateId))
			.for('update');
		if (!c) notFound();
		if (c.status === 'revoked') throw new RuleViolation('records_error_already_revoked');
		await tx
			.update(certificates)
			.set({ status: 'revoked', revokedAt: new Date(), revokedBy: actor.id, revokeReason: text })
			.where(eq(certificates.id, c.id));
		await recordAudit(
			{
				actor,
				action: 'certificate.revoke',
				target: `certificate:${c.id}`,
				ip,
				detail: { number: c.number, reason: text }
			},
			tx
		);
	});
}

/** Revokes the certificate of an enrollment whose final pass was corrected by a later decision.
 *  Runs inside that decision's transaction. */
export async function revokeForEnrollment(
	tx: Executor,
	enrollmentId: string,
	reason: string,
	actor: Pick<Actor, 'id' | 'login'>
): Promise<void> {
	const [c] = await tx
		.select()
		.from(certificates)
		.where(eq(certificates.enrollmentId, enrollmentId))
		.for('update');
	if (!c || c.status === 'revoked') return;
	const text = `决定已更正 / decision corrected: ${reason}`.slice(0, REVOKE_REASON_MAX);
	await tx
		.update(certificates)
		.set({ status: 'revoked', revokedAt: new Date(), revokedBy: actor.id, revokeReason: text })
		.where(eq(certificates.id, c.id));
	await recordAudit(
		{
			actor,
			action: 'certificate.revoke_by_decision',
			target: `certificate:${c.id}`,
			ip: null,
			detail: { number: c.number }
		},
		tx
	);
}

export type ExpiringItem = {
	id: string;
	number: string;
	userId: string;
	holderName: string;
	employeeNo: string | null;
	cohortName: string;
	validUntil: string;
	enrollmentId: string;
};

/** Valid certificates whose last valid day falls within the next `days` days (today included). */
export async function expiringSoon(
	actor: Actor,
	days: number,
	now = new Date()
): Promise<ExpiringItem[]> {
	assertRole(actor, 'hr', 'admin');
	const n = Math.min(Math.max(1, Math.floor(days) || 1), 3650);
	const today = localDay(now);
	const until = localDay(new Date(now.getTime() + n * 864e5));
	const rows = await db
		.select({
			id: certificates.id,
			number: certificates.number,
			userId: certificates.userId,
			holderName: users.displayName,
			employeeNo: users.employeeNo,
			cohortName: cohorts.name,
			validUntil: certificates.validUntil,
			enrollmentId: certificates.enrollmentId
		})
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.innerJoin(cohorts, eq(cohorts.id, certificates.cohortId))
		.where(
			and(
				eq(certificates.status, 'valid'),
				isNotNull(certificates.validUntil),
				gte(certificates.validUntil, today),
				lte(certificates.validUntil, until)
			)
		)
		.orderBy(asc(certificates.validUntil), asc(users.displayName))
		.limit(1000);
	return rows.map((r) => ({ ...r, validUntil: r.validUntil! }));
}

/** The program's stages marked `recurring`, as indexes; recertification starts at the first. */
export function recurringStages(programSlug: string): number[] {
	return getProgram(programSlug)
		.stages.map((s, i) => (s.recurring ? i : -1))
		.filter((i) => i >= 0);
}

/** Recertification: enrolls the holder in a cohort again, starting at the first stage the
 *  program marks recurring (the earlier stages stay passed in the old record). The old
 *  enrollment and its certificate are kept as history. */
export async function recertify(
	actor: Actor,
	certificateId: string,
	cohortId: string,
	ip: string | null
): Promise<{ enrollmentId: string }> {
	assertRole(actor, 'hr', 'admin');
	return db.transaction(async (tx) => {
		const [c] = await tx.select().from(certificates).where(eq(certificates.id, certificateId));
		if (!c) notFound();
		if (c.status === 'revoked') throw new RuleViolation('records_error_recertify_revoked');
		const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.id, cohortId));
		if (!cohort) throw new RuleViolation('records_error_cohort', 'cohortId');
		if (cohort.programSlug !== c.programSlug)
			throw new RuleViolation('records_error_cohort_program', 'cohortId');
		const stages = recurringStages(c.programSlug);
		if (!stages.length) throw new RuleViolation('records_error_no_recurring');
		const [current] = await tx
			.select()
			.from(enrollments)
			.where(and(eq(enrollments.userId, c.userId), eq(enrollments.active, true)));
		if (current && current.id !== c.enrollmentId)
			throw new RuleViolation('records_error_in_training');
		const { id } = await enrollTx(tx, cohort, c.userId);
		await tx
			.update(enrollments)
			.set({
				stageIndex: stages[0],
				stageStatus: 'in_training',
				retrains: 0,
				readyForCertification: false
			})
			.where(eq(enrollments.id, id));
		await recordAudit(
			{
				actor,
				action: 'certificate.recertify',
				target: `user:${c.userId}`,
				ip,
				detail: { certificateId: c.id, cohortId, enrollmentId: id, stageIndex: stages[0] }
			},
			tx
		);
		return { enrollmentId: id };
	});
}

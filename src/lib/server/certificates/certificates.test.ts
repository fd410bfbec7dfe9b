import { eq, sql } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/log';
import { enrollments } from '../cohorts/schema';
import { db } from '../db/client';
import { recordDecision } from '../decisions/decisions';
import { dossierEvents } from '../dossier/schema';
import { RuleViolation } from '../errors';
import {
	expiringSoon,
	getCertificate,
	groupCode,
	issueCertificate,
	normalizeCode,
	recertify,
	revokeCertificate,
	stateOf,
	validUntilFor
} from './certificates';
import { certificatePdf } from './pdf';
import { certificates } from './schema';
import { passFinalStage, setupCertified } from './test-fixtures';
import { verifyCertificate } from './verify';
import { setupCohort } from '../cohorts/test-fixtures';

async function rejectsWith(p: Promise<unknown>, status: number) {
	await expect(p).rejects.toMatchObject({ status });
}

describe('certificate rules', () => {
	it('computes validity, state and code formats', () => {
		expect(validUntilFor('2026-03-15', 24)).toBe('2028-03-14');
		expect(validUntilFor('2026-01-31', 1)).toBe('2026-02-27');
		expect(validUntilFor('2026-03-15', undefined)).toBeNull();
		expect(stateOf({ status: 'valid', validUntil: '2020-01-01' })).toBe('expired');
		expect(stateOf({ status: 'valid', validUntil: null })).toBe('valid');
		expect(stateOf({ status: 'revoked', validUntil: null })).toBe('revoked');
		expect(groupCode('ABCDEFGHIJKLMNOP')).toBe('ABCD-EFGH-IJKL-MNOP');
		expect(normalizeCode('abcd-efgh ijkl-mn0p')).toBe('ABCDEFGHIJKLMNOP');
		expect(normalizeCode('short')).toBeNull();
	});
});

describe('issuing', () => {
	it('issues a numbered certificate with a random code, the content version and validity', async () => {
		const { certs, trainees } = await setupCertified(1);
		const c = certs[0];
		const year = new Date().getFullYear();
		expect(c.number).toMatch(new RegExp(`^XLKF-(${year}|${year + 1})-\\d{6}$`));
		expect(c.verificationCode).toMatch(/^[A-Z2-7]{16}$/);
		expect(c.contentVersion).toMatch(/^[0-9a-f]{16,}$/);
		expect(c.validUntil).not.toBeNull();
		expect(c.userId).toBe(trainees[0].id);
		expect(c.status).toBe('valid');
		expect((await verifyAuditChain()).ok).toBe(true);
	});

	it('is idempotent per enrollment and refuses an enrollment that has not passed the last stage', async () => {
		const { certs, uncertified, teacher } = await setupCertified(1);
		const again = await db.transaction((tx) =>
			issueCertificate(tx, {
				enrollmentId: certs[0].enrollmentId,
				decisionId: certs[0].decisionId,
				actorId: null
			})
		);
		expect(again.id).toBe(certs[0].id);
		const [e] = await db.select().from(enrollments).where(eq(enrollments.userId, uncertified.id));
		await expect(
			db.transaction((tx) =>
				issueCertificate(tx, {
					enrollmentId: e.id,
					decisionId: certs[0].decisionId,
					actorId: teacher.id
				})
			)
		).rejects.toBeInstanceOf(RuleViolation);
	});

	it('numbers concurrent issues without gaps or duplicates', async () => {
		const setup = await setupCohort(8);
		const passed = [];
		for (const t of setup.trainees) passed.push(await passFinalStage(setup.teacher, t.id));
		const issued = await Promise.all(
			passed.map((p) =>
				db.transaction((tx) => issueCertificate(tx, { ...p, actorId: setup.teacher.id }))
			)
		);
		const seqs = issued.map((c) => Number(c.number.slice(-6))).sort((a, b) => a - b);
		expect(new Set(seqs).size).toBe(8);
		for (let i = 1; i < seqs.length; i++) expect(seqs[i] - seqs[i - 1]).toBe(1);
		// A rolled-back issue leaves no gap: the next number follows the last committed one.
		const extra = await setupCohort(1);
		const p = await passFinalStage(extra.teacher, extra.trainees[0].id);
		await expect(
			db.transaction(async (tx) => {
				await issueCertificate(tx, { ...p, actorId: null });
				throw new Error('rollback');
			})
		).rejects.toThrow('rollback');
		const c = await db.transaction((tx) => issueCertificate(tx, { ...p, actorId: null }));
		const all = (await db.select({ n: certificates.number }).from(certificates))
			.map((r) => Number(r.n.slice(-6)))
			.sort((a, b) => a - b);
		expect(Number(c.number.slice(-6))).toBe(all[all.length - 1]);
		expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
	});
});

describe('access', () => {
	it('lets HR, admins and the holder read a certificate, nobody else', async () => {
		const { certs, hr, admin, teacher, trainees } = await setupCertified(2);
		expect((await getCertificate(hr, certs[0].id)).holderName).toBe(trainees[0].displayName);
		expect((await getCertificate(admin, certs[0].id)).number).toBe(certs[0].number);
		expect((await getCertificate(trainees[0], certs[0].id)).id).toBe(certs[0].id);
		await rejectsWith(getCertificate(trainees[1], certs[0].id), 403);
		await rejectsWith(getCertificate(teacher, certs[0].id), 403);
		await rejectsWith(getCertificate(hr, '00000000-0000-4000-8000-000000000000'), 404);
	});
});

describe('public verification', () => {
	it('shows valid, then revoked after revocation with a required reason; unknown codes are not found', async () => {
		const { certs, hr, teacher, trainees } = await setupCertified(1);
		const ip = `10.0.0.${Math.floor(Math.random() * 250)}`;
		const r = await verifyCertificate(groupCode(certs[0].verificationCode).toLowerCase(), ip);
		expect(r).toMatchObject({
			kind: 'found',
			certificate: { state: 'valid', holderName: trainees[0].displayName, number: certs[0].number }
		});
		if (r.kind === 'found')
			expect(Object.keys(r.certificate).sort()).toEqual([
				'holderName',
				'issuedOn',
				'number',
				'programTitle',
				'programTitleEn',
				'revokedOn',
				'state',
				'validUntil'
			]);
		expect(await verifyCertificate('AAAA-AAAA-AAAA-AAAA', ip)).toEqual({ kind: 'not_found' });
		expect(await verifyCertificate('nonsense', ip)).toEqual({ kind: 'invalid' });

		await expect(revokeCertificate(hr, certs[0].id, ' ', null)).rejects.toMatchObject({
			code: 'records_error_reason_required'
		});
		await rejectsWith(revokeCertificate(teacher, certs[0].id, '伪造材料', null), 403);
		await revokeCertificate(hr, certs[0].id, '上岗后发现考核材料不实', null);
		expect(await verifyCertificate(certs[0].verificationCode, ip)).toMatchObject({
			kind: 'found',
			certificate: { state: 'revoked' }
		});
		await expect(revokeCertificate(hr, certs[0].id, '再次撤销', null)).rejects.toMatchObject({
			code: 'records_error_already_revoked'
		});
		const view = await getCertificate(hr, certs[0].id);
		expect(view).toMatchObject({
			state: 'revoked',
			revokeReason: '上岗后发现考核材料不实',
			revokedByName: hr.displayName
		});
	});

	it('is rate-limited per IP', async () => {
		const { certs } = await setupCertified(1);
		const limit = { perIp: 3, windowMs: 60_000 };
		const now = new Date();
		for (let i = 0; i < 3; i++)
			expect(
				(await verifyCertificate(certs[0].verificationCode, '192.0.2.7', now, limit)).kind
			).toBe('found');
		expect(
			await verifyCertificate(certs[0].verificationCode, '192.0.2.7', now, limit)
		).toMatchObject({ kind: 'limited' });
		expect((await verifyCertificate(certs[0].verificationCode, '192.0.2.8', now, limit)).kind).toBe(
			'found'
		);
		// A new window starts once the old one has passed.
		expect(
			(
				await verifyCertificate(
					certs[0].verificationCode,
					'192.0.2.7',
					new Date(now.getTime() + 61_000),
					limit
				)
			).kind
		).toBe('found');
	});
});

describe('database guards', () => {
	it('refuses deleting a certificate or changing it other than revoking', async () => {
		const { certs } = await setupCertified(1);
		await expect(
			db.execute(sql`delete from certificates where id = ${certs[0].id}`)
		).rejects.toThrow();
		await expect(
			db.execute(sql`update certificates set number = 'XLKF-1999-000001' where id = ${certs[0].id}`)
		).rejects.toThrow();
		await expect(
			db.execute(sql`update certificates set status = 'revoked' where id = ${certs[0].id}`)
		).rejects.toThrow();
	});
});

describe('expiry and recertification', () => {
	it('lists certificates expiring soon and re-enrolls the holder in the recurring stages', async () => {
		const { certs, hr, teacher, cohortId, admin } = await setupCertified(1);
		const c = certs[0];
		const almost = new Date(new Date(`${c.validUntil}T12:00:00+08:00`).getTime() - 10 * 864e5);
		const soon = await expiringSoon(hr, 30, almost);
		expect(soon.map((s) => s.id)).toContain(c.id);
		expect((await expiringSoon(hr, 5, almost)).map((s) => s.id)).not.toContain(c.id);
		await rejectsWith(expiringSoon(teacher, 30), 403);

		const other = await setupCohort(0);
		const { enrollmentId } = await recertify(admin, c.id, other.cohortId, null);
		const [e] = await db.select().from(enrollments).where(eq(enrollments.id, enrollmentId));
		expect(e).toMatchObject({
			stageIndex: 2,
			stageStatus: 'in_training',
			active: true,
			readyForCertification: false
		});
		const [old] = await db.select().from(enrollments).where(eq(enrollments.id, c.enrollmentId));
		expect(old.active).toBe(false);
		expect(cohortId).not.toBe(other.cohortId);
		// The old certificate stays as history and still verifies.
		expect((await getCertificate(hr, c.id)).state).toBe('valid');
	});
});

describe('pdf', () => {
	it('renders a small PDF with the embedded CJK font subset', async () => {
		const { certs, hr } = await setupCertified(1);
		const view = await getCertificate(hr, certs[0].id);
		const pdf = await certificatePdf(
			view,
			`https://training.example/verify?code=${view.verificationCode}`
		);
		const head = Buffer.from(pdf.subarray(0, 5)).toString('latin1');
		expect(head).toBe('%PDF-');
		if (process.env.CERT_PDF_OUT) writeFileSync(process.env.CERT_PDF_OUT, pdf);
		expect(pdf.byteLength).toBeLessThan(300_000);
		const text = Buffer.from(pdf).toString('latin1');
		expect(text).toMatch(/FontFile2/);
		expect(text).toMatch(/NotoSansSC/);
	});
});

describe('certificates follow the decisions', () => {
	it('the final pass decision issues the certificate; a correction that takes the pass back revokes it', async () => {
		const setup = await setupCohort(1);
		const trainee = setup.trainees[0];
		const { enrollmentId, decisionId } = await passFinalStage(setup.teacher, trainee.id);
		const [issued] = await db
			.select()
			.from(certificates)
			.where(eq(certificates.enrollmentId, enrollmentId));
		expect(issued).toMatchObject({ status: 'valid', decisionId });
		const [{ version }] = await db
			.select({ version: enrollments.version })
			.from(enrollments)
			.where(eq(enrollments.id, enrollmentId));
		const [evidence] = await db
			.select()
			.from(dossierEvents)
			.where(eq(dossierEvents.userId, trainee.id));
		await recordDecision(
			setup.teacher,
			trainee.id,
			{
				outcome: 'eliminate',
				reason: '复核发现模拟上岗录音不完整。',
				evidence: [evidence.id],
				expectedVersion: version,
				supersedesId: decisionId
			},
			null
		);
		const [after] = await db
			.select()
			.from(certificates)
			.where(eq(certificates.enrollmentId, enrollmentId));
		expect(after.status).toBe('revoked');
		expect(after.revokeReason).toContain('复核发现');
	});
});

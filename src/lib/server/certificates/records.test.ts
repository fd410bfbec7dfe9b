import { desc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../audit/schema';
import { db } from '../db/client';
import { verifyDecisionChain } from '../decisions/decisions';
import { addTraineeNote } from '../dossier/notes';
import { users } from '../people/schema';
import { revokeCertificate } from './certificates';
import { exportRecords, listRecords, recordColumns, recordDetail } from './records';
import { setupCertified } from './test-fixtures';

const LABELS = {
	columns: {
		name: '姓名',
		employeeNo: '工号',
		cohortName: '班级',
		teacherName: '班主任',
		programSlug: '培训项目',
		statusLabel: '状态',
		enrolledAt: '入班日期',
		certificateNumber: '证书编号',
		issuedAt: '发证日期',
		validUntil: '有效期至',
		averageScore: '平均成绩',
		finalScore: '最终阶段成绩'
	},
	status: {
		in_training: '培训中',
		certified: '已认证',
		expired: '已过期',
		revoked: '已撤销',
		eliminated: '已淘汰'
	},
	sheet: '认证档案'
};

describe('HR records', () => {
	it('is for HR and admins only', async () => {
		const { hr, admin, teacher, trainees, examiner } = await setupCertified(1);
		expect((await listRecords(hr, {})).total).toBeGreaterThan(0);
		expect((await listRecords(admin, {})).total).toBeGreaterThan(0);
		for (const who of [teacher, trainees[0], examiner])
			await expect(listRecords(who, {})).rejects.toMatchObject({ status: 403 });
		await expect(exportRecords(teacher, {}, 'csv', LABELS, null)).rejects.toMatchObject({
			status: 403
		});
	});

	it('searches Chinese names by substring, filters by cohort, status and teacher, and sorts', async () => {
		const { hr, cohortId, certs, trainees, teacher } = await setupCertified(1);
		await db.update(users).set({ displayName: '欧阳晓晴' }).where(eq(users.id, trainees[0].id));
		const found = await listRecords(hr, { q: '晓晴' });
		expect(found.rows.map((r) => r.userId)).toContain(trainees[0].id);
		expect(found.rows.find((r) => r.userId === trainees[0].id)).toMatchObject({
			status: 'certified',
			certificateNumber: certs[0].number,
			cohortId
		});
		const inCohort = await listRecords(hr, { cohortId });
		expect(inCohort.total).toBe(2);
		expect(
			(await listRecords(hr, { cohortId, status: 'certified' })).rows.map((r) => r.userId)
		).toEqual([trainees[0].id]);
		expect(
			(await listRecords(hr, { cohortId, status: 'in_training' })).rows.map((r) => r.userId)
		).toEqual([trainees[1].id]);
		expect((await listRecords(hr, { teacherId: teacher.id })).total).toBe(2);
		const sorted = await listRecords(hr, { cohortId, sort: 'name', dir: 'desc' });
		const names = sorted.rows.map((r) => r.name);
		expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a, 'en')));
		await revokeCertificate(hr, certs[0].id, '测试撤销原因', null);
		expect(
			(await listRecords(hr, { cohortId, status: 'revoked' })).rows.map((r) => r.userId)
		).toEqual([trainees[0].id]);
		const today = new Date().toISOString().slice(0, 10);
		expect((await listRecords(hr, { cohortId, from: '2000-01-01', to: '2000-12-31' })).total).toBe(
			0
		);
		expect((await listRecords(hr, { cohortId, from: '2000-01-01' })).total).toBe(2);
		void today;
	});

	it('exports CSV with a BOM and XLSX with the same columns, and logs the export', async () => {
		const { hr, cohortId, trainees } = await setupCertified(1);
		const csv = await exportRecords(hr, { cohortId }, 'csv', LABELS, '127.0.0.1');
		expect(Array.from(csv.body.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(csv.body).replace(/^\uFEFF/, '');
		const lines = text.trim().split('\r\n');
		expect(lines[0]).toBe(
			recordColumns(LABELS.columns)
				.map((c) => c.label)
				.join(',')
		);
		expect(lines).toHaveLength(3);
		expect(text).toContain(trainees[0].displayName);
		expect(text).toContain('已认证');
		const [entry] = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'records.export'))
			.orderBy(desc(auditLog.id))
			.limit(1);
		expect(entry).toMatchObject({
			actorId: hr.id,
			ip: '127.0.0.1',
			detail: { format: 'csv', rows: 2 }
		});

		const xlsx = await exportRecords(hr, { cohortId }, 'xlsx', LABELS, null);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(Buffer.from(xlsx.body) as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('认证档案')!;
		expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(
			recordColumns(LABELS.columns).map((c) => c.label)
		);
		const col = (ws.getRow(1).values as unknown[]).indexOf('姓名');
		const names = [ws.getRow(2).getCell(col).value, ws.getRow(3).getCell(col).value];
		expect(names).toContain(trainees[0].displayName);
	});

	it('traces a record back without private notes', async () => {
		const { hr, teacher, trainees, certs, cohortId } = await setupCertified(1);
		await addTraineeNote(
			teacher,
			trainees[0].id,
			{ kind: 'talk', body: '私下谈话：家里有事', sharedWithHr: false },
			null
		);
		await addTraineeNote(
			teacher,
			trainees[0].id,
			{ kind: 'praise', body: '主动帮助同学', sharedWithHr: true },
			null
		);
		const d = await recordDetail(hr, certs[0].enrollmentId);
		expect(d).toMatchObject({ cohortId, status: 'certified' });
		expect(d.certificates[0].number).toBe(certs[0].number);
		expect(d.dossier.decisions.some((x) => x.outcome === 'pass' && x.reason.length > 0)).toBe(true);
		const json = JSON.stringify(d);
		expect(json).not.toContain('家里有事');
		expect(json).toContain('主动帮助同学');
		await expect(recordDetail(teacher, certs[0].enrollmentId)).rejects.toMatchObject({
			status: 403
		});
		await expect(recordDetail(trainees[0], certs[0].enrollmentId)).rejects.toMatchObject({
			status: 403
		});
	});
});

describe('tamper evidence of the decision log', () => {
	it('rejects UPDATE and DELETE, and the chain verifier finds a row edited behind the trigger', async () => {
		await setupCertified(2);
		expect((await verifyDecisionChain()).ok).toBe(true);
		await expect(db.execute(sql`update stage_decisions set reason = 'x'`)).rejects.toThrow();
		await expect(db.execute(sql`delete from stage_decisions`)).rejects.toThrow();
		const res = (await db.execute(
			sql`select id from stage_decisions order by seq desc limit 1`
		)) as unknown;
		const list = Array.isArray(res) ? res : (res as { rows: { id: string }[] }).rows;
		const id = String(list[0].id);
		// A database superuser bypasses the trigger and rewrites the reason of one decision.
		await db.execute(sql`alter table stage_decisions disable trigger stage_decisions_append_only`);
		await db.execute(sql`update stage_decisions set reason = '篡改后的理由' where id = ${id}`);
		await db.execute(sql`alter table stage_decisions enable trigger stage_decisions_append_only`);
		expect(await verifyDecisionChain()).toEqual({ ok: false, brokenAt: id });
	});
});

import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { RuleViolation } from '../errors';
import { users } from '../people/schema';
import { makeActor } from '../testing/fixtures';
import {
	addTrainee,
	commitImport,
	parseCsv,
	previewImport,
	readSheet,
	rowsFromSheet
} from './import';
import {
	createCohort,
	getCohort,
	listCohorts,
	saveCohortDocument,
	enrollmentHistory
} from './cohorts';
import { cohortFigures, cohortGrid, summaryTemplate } from './overview';
import { renderMarkdown } from '../content/markdown';
import { enrollments } from './schema';
import { setupCohort } from './test-fixtures';
import { auditLog } from '../audit/schema';
import { listCourses } from '../content';
import { lessonProgress } from '../learning/schema';

const enc = (s: string) => new TextEncoder().encode(s);
const rule = (code: string) => expect.objectContaining({ code }) as unknown as RuleViolation;

describe('cohorts: create, list, access', () => {
	it('admin and HR create cohorts; teachers, examiners and trainees cannot', async () => {
		const { admin, hr, teacher, examiner, trainees } = await setupCohort(1);
		const input = {
			name: '三月班',
			programSlug: 'onboarding',
			startsOn: '2026-03-01',
			endsOn: '2026-03-31',
			teacherId: teacher.id,
			examinerIds: []
		};
		await expect(createCohort(hr, input, null)).resolves.toHaveProperty('id');
		for (const who of [teacher, examiner, trainees[0]])
			await expect(createCohort(who, input, null)).rejects.toMatchObject({ status: 403 });
		await expect(createCohort(admin, { ...input, endsOn: '2026-02-01' }, null)).rejects.toEqual(
			rule('cohorts_error_dates_order')
		);
		await expect(createCohort(admin, { ...input, teacherId: examiner.id }, null)).rejects.toEqual(
			rule('cohorts_error_not_teacher')
		);
		await expect(createCohort(admin, { ...input, programSlug: 'nope' }, null)).rejects.toEqual(
			rule('cohorts_error_program')
		);
		await expect(
			createCohort(admin, { ...input, examinerIds: [trainees[0].id] }, null)
		).rejects.toEqual(rule('cohorts_error_not_examiner'));
	});

	it('a teacher sees only their own cohorts; an examiner only those they are listed on', async () => {
		const a = await setupCohort(1);
		const mine = await listCohorts(a.teacher);
		expect(mine.map((c) => c.id)).toEqual([a.cohortId]);
		expect(await listCohorts(a.otherTeacher)).toEqual([]);
		expect((await listCohorts(a.examiner)).map((c) => c.id)).toEqual([a.cohortId]);
		expect(await listCohorts(a.otherExaminer)).toEqual([]);
		expect((await listCohorts(a.hr)).map((c) => c.id)).toContain(a.cohortId);
		await expect(getCohort(a.otherTeacher, a.cohortId)).rejects.toMatchObject({ status: 403 });
		await expect(getCohort(a.otherExaminer, a.cohortId)).rejects.toMatchObject({ status: 403 });
		await expect(getCohort(a.trainees[0], a.cohortId)).rejects.toMatchObject({ status: 403 });
		await expect(
			getCohort(a.teacher, '00000000-0000-4000-8000-000000000000')
		).rejects.toMatchObject({ status: 404 });
		await expect(cohortGrid(a.otherTeacher, a.cohortId)).rejects.toMatchObject({ status: 403 });
		expect((await getCohort(a.examiner, a.cohortId)).role).toBe('examiner');
	});

	it('only the homeroom teacher writes the class plan and summary; the template pulls the figures', async () => {
		const a = await setupCohort(2);
		await saveCohortDocument(a.teacher, a.cohortId, 'workPlan', '# 计划\n- 第一周', null);
		await expect(
			saveCohortDocument(a.otherTeacher, a.cohortId, 'workPlan', 'x', null)
		).rejects.toMatchObject({ status: 403 });
		await expect(saveCohortDocument(a.hr, a.cohortId, 'summary', 'x', null)).rejects.toMatchObject({
			status: 403
		});
		const figures = await cohortFigures(a.teacher, a.cohortId);
		expect(figures.trainees).toBe(2);
		expect(figures.stages).toHaveLength(3);
		const md = summaryTemplate('测试班', figures, 'zh-CN');
		expect(md).toContain('在班学员 **2** 人');
		expect(renderMarkdown(md)).toContain('<table>');
		const html = renderMarkdown(
			'说明 <script>alert(1)</script> **b**\n\n<img src=x onerror=alert(1)>'
		);
		expect(html).not.toMatch(/<script|<img/);
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('<strong>b</strong>');
	});
});

describe('cohort grid', () => {
	it('counts lessons done per course (current catalogue only), last activity, and flags who is behind', async () => {
		const a = await setupCohort(2);
		const [busy, idle] = a.trainees;
		const [first, second] = listCourses();
		const opened = new Date('2026-03-12T08:00:00Z');
		await db.insert(lessonProgress).values([
			...first.lessons.map((l) => ({
				userId: busy.id,
				courseSlug: first.slug,
				lessonSlug: l.slug,
				completedAt: opened,
				lastOpenedAt: new Date('2026-03-10T08:00:00Z')
			})),
			// Opened, not finished: moves last activity, not the count.
			{
				userId: busy.id,
				courseSlug: second.slug,
				lessonSlug: second.lessons[0].slug,
				lastOpenedAt: opened
			},
			// A lesson since removed from the catalogue does not count.
			{
				userId: busy.id,
				courseSlug: second.slug,
				lessonSlug: 'removed-lesson',
				completedAt: opened,
				lastOpenedAt: new Date('2026-03-01T08:00:00Z')
			}
		]);
		const grid = await cohortGrid(a.teacher, a.cohortId, new Date('2026-03-13T08:00:00Z'));
		const row = (id: string) => grid.rows.find((r) => r.userId === id)!;
		const total = listCourses().reduce((n, c) => n + c.lessons.length, 0);
		expect(row(busy.id).lessonsDone).toBe(first.lessons.length);
		expect(row(busy.id).lessonsTotal).toBe(total);
		expect(row(busy.id).courses[0]).toEqual({ slug: first.slug, percent: 100, completed: true });
		expect(row(busy.id).courses[1]).toEqual({ slug: second.slug, percent: 0, completed: false });
		expect(row(busy.id).lastActivity).toEqual(opened);
		expect(row(idle.id).lessonsDone).toBe(0);
		expect(row(idle.id).lastActivity).toBeNull();
		// 12 of 41 days gone: nothing done is behind; the first course done (1/7 of the lessons) is not.
		expect(row(idle.id).flags).toContain('behind');
		expect(row(busy.id).flags).not.toContain('behind');
	});
});

describe('trainee import', () => {
	it('parses CSV with a BOM, quoted fields, CRLF and Chinese headers', () => {
		const rows = parseCsv(
			'\uFEFF姓名,工号,手机,邮箱,账号\r\n"王, 小明",X1,138 0000 0000,"a@b.cn",wxm\r\n"说""好""的",X2,,,\r\n'
		);
		expect(rows[1]).toEqual(['王, 小明', 'X1', '138 0000 0000', 'a@b.cn', 'wxm']);
		expect(rows[2][0]).toBe('说"好"的');
		const mapped = rowsFromSheet(rows);
		expect(mapped[0]).toMatchObject({ line: 2, name: '王, 小明', employeeNo: 'X1', login: 'wxm' });
		expect(
			rowsFromSheet(parseCsv('Name,Employee No,Email,Login\nAmy,E1,amy@x.io,amy'))[0]
		).toMatchObject({ name: 'Amy', employeeNo: 'E1', login: 'amy' });
		expect(() => rowsFromSheet(parseCsv('foo,bar\n1,2'))).toThrow(RuleViolation);
	});

	it('reads GB18030 CSV and XLSX files', async () => {
		const gbk = new Uint8Array([
			0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd,
			0x2c, 0x7a, 0x73
		]); // 姓名,login\n张三,zs
		expect(await readSheet(gbk)).toEqual([
			['姓名', 'login'],
			['张三', 'zs']
		]);
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('学员');
		ws.addRow(['姓名', '工号', '手机', '邮箱', '账号']);
		ws.addRow([
			'李四',
			'X9',
			'13900000000',
			{ text: 'ls@x.cn', hyperlink: 'mailto:ls@x.cn' },
			'lisi'
		]);
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		expect(rowsFromSheet(await readSheet(bytes))[0]).toMatchObject({
			name: '李四',
			employeeNo: 'X9',
			email: 'ls@x.cn',
			login: 'lisi'
		});
		await expect(readSheet(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).rejects.toEqual(
			rule('cohorts_import_unreadable')
		);
	});

	it('previews per-row errors and imports nothing until the file is clean', async () => {
		const a = await setupCohort(1);
		const staff = await makeActor(['examiner']);
		const csv = [
			'姓名,工号,手机,邮箱,账号',
			`周一,PV1${Date.now() % 1e6},13800000000,zy@x.cn,pv-a${Date.now() % 1e6}`,
			`,PV2,,,pv-b`,
			`周三,PV3,abc,not-an-email,pv-c`,
			`周四,PV4,,,PV-A${Date.now() % 1e6}`,
			`周五,PV5,,,${staff.login}`,
			`周六,PV6,,,${a.trainees[0].login}`
		].join('\n');
		const preview = await previewImport(a.teacher, a.cohortId, enc(csv));
		expect(preview.clean).toBe(false);
		const codes = preview.rows.map((r) => r.errors.map((e) => e.code));
		expect(codes[0]).toEqual([]);
		expect(codes[1]).toContain('error_required');
		expect(codes[2]).toEqual(expect.arrayContaining(['cohorts_import_bad_phone', 'error_email']));
		expect(codes[3]).toContain('cohorts_import_duplicate_in_file');
		expect(codes[4]).toContain('cohorts_import_not_trainee');
		expect(codes[5]).toContain('cohorts_error_already_enrolled');
		const before = (await db.select().from(users)).length;
		await expect(commitImport(a.teacher, a.cohortId, preview.rows, null)).rejects.toEqual(
			rule('cohorts_import_not_clean')
		);
		expect((await db.select().from(users)).length).toBe(before);
		await expect(previewImport(a.otherTeacher, a.cohortId, enc(csv))).rejects.toMatchObject({
			status: 403
		});
		await expect(previewImport(a.examiner, a.cohortId, enc(csv))).rejects.toMatchObject({
			status: 403
		});
	});

	it('a clean import creates accounts with one-time passwords and enrollments, audited', async () => {
		const a = await setupCohort(0);
		const s = `${Date.now() % 1e6}`;
		const rows = [
			{
				line: 2,
				name: '吴一',
				employeeNo: `CI1${s}`,
				phone: '13800000001',
				email: '',
				login: `ci-a${s}`
			},
			{ line: 3, name: '吴二', employeeNo: `CI2${s}`, phone: '', email: 'w2@x.cn', login: '' }
		];
		const done = await commitImport(a.teacher, a.cohortId, rows, '127.0.0.1');
		expect(done).toHaveLength(2);
		expect(done[1].login).toBe(`ci2${s}`);
		for (const d of done) expect(d.oneTimePassword).toMatch(/.{8,}/);
		const [u] = await db
			.select()
			.from(users)
			.where(eq(users.login, `ci-a${s}`));
		expect(u.mustChangePassword).toBe(true);
		const grid = await cohortGrid(a.teacher, a.cohortId);
		expect(grid.rows.map((r) => r.displayName).sort()).toEqual(['吴一', '吴二']);
		expect(grid.rows[0].state.status).toBe('not_started');
		const audit = await db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, 'cohorts.import'), eq(auditLog.target, `cohort:${a.cohortId}`))
			);
		expect(audit).toHaveLength(1);
	});

	it('one active enrollment per trainee: HR moves with history; a teacher cannot take a trainee from another cohort', async () => {
		const a = await setupCohort(1);
		const b = await setupCohort(0);
		const t = a.trainees[0];
		const row = { name: t.displayName, employeeNo: '', phone: '', email: '', login: t.login };
		await expect(addTrainee(b.teacher, b.cohortId, row, null)).rejects.toEqual(
			rule('cohorts_import_in_other_cohort')
		);
		await addTrainee(b.hr, b.cohortId, row, null);
		const history = await enrollmentHistory(t.id);
		expect(history.map((h) => [h.cohortId, h.active, h.endReason])).toEqual([
			[b.cohortId, true, null],
			[a.cohortId, false, 'moved']
		]);
		const active = await db
			.select()
			.from(enrollments)
			.where(and(eq(enrollments.userId, t.id), eq(enrollments.active, true)));
		expect(active).toHaveLength(1);
		// The database itself refuses a second active enrollment.
		await expect(
			db
				.insert(enrollments)
				.values({ cohortId: a.cohortId, userId: t.id, programSlug: 'onboarding' })
		).rejects.toThrow();
		// The old teacher no longer reaches the trainee through the old cohort's grid.
		expect((await cohortGrid(a.teacher, a.cohortId)).rows).toEqual([]);
	});
});

describe('demo data', () => {
	it('seeds the demo cohort with a profile, a draft, typing, notes and a decision history', async () => {
		const { seedDemo } = await import('../demo/seed');
		await seedDemo();
		const [teacherRow] = await db.select().from(users).where(eq(users.login, 'teacher'));
		const teacher = {
			id: teacherRow.id,
			login: 'teacher',
			displayName: teacherRow.displayName,
			roles: ['teacher' as const, 'examiner' as const]
		};
		const [c] = await listCohorts(teacher);
		const grid = await cohortGrid(teacher, c.id);
		// Other features' demo data may add trainees to this cohort (e.g. a certified one).
		expect(grid.rows.map((r) => r.login)).toEqual(
			expect.arrayContaining(['trainee', 'trainee2', 'trainee3'])
		);
		const t1 = grid.rows.find((r) => r.login === 'trainee')!;
		expect(t1.profile).toBe('final');
		expect(t1.state).toMatchObject({ status: 'in_training', retrains: 1 });
		expect(grid.rows.find((r) => r.login === 'trainee2')!.profile).toBe('draft');
	});
});

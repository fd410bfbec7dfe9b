// Adding trainees one by one or from a CSV/XLSX file: parse, validate every row against the
// database, show a preview with per-row errors; import only a clean file, all rows in one
// transaction. New accounts get one-time passwords, returned once and never stored in clear.
import ExcelJS from 'exceljs';
import { eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { db, type Executor } from '../db/client';
import { RuleViolation } from '../errors';
import { insertAccount } from '../people/accounts';
import type { Actor } from '../people/roles';
import { userRoles, users } from '../people/schema';
import { requireCohort, type Cohort, type CohortRole } from './access';
import { enrollTx } from './cohorts';
import { enrollments } from './schema';

export const IMPORT_MAX_ROWS = 500;
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

export type TraineeRow = {
	name: string;
	employeeNo: string;
	phone: string;
	email: string;
	login: string;
};
export type RowError = {
	field: keyof TraineeRow | '';
	code: string;
	params?: Record<string, string | number>;
};
export type PreviewRow = TraineeRow & {
	line: number;
	action: 'create' | 'enroll' | 'move';
	errors: RowError[];
};

const HEADERS: Record<string, keyof TraineeRow> = {
	姓名: 'name',
	名字: 'name',
	name: 'name',
	'full name': 'name',
	'display name': 'name',
	工号: 'employeeNo',
	员工编号: 'employeeNo',
	'employee no': 'employeeNo',
	'employee number': 'employeeNo',
	employeeno: 'employeeNo',
	手机: 'phone',
	手机号: 'phone',
	电话: 'phone',
	phone: 'phone',
	mobile: 'phone',
	邮箱: 'email',
	电子邮箱: 'email',
	email: 'email',
	'e-mail': 'email',
	账号: 'login',
	登录名: 'login',
	login: 'login',
	username: 'login',
	account: 'login'
};

/** RFC 4180-style CSV: quoted fields with "" escapes, commas or tabs, CRLF or LF, BOM removed. */
export function parseCsv(text: string): string[][] {
	const src = text.replace(/^\uFEFF/, '');
	const firstLine = src.slice(0, src.search(/\r?\n|$/));
	const sep =
		!firstLine.includes(',') && firstLine.includes('\t')
			? '\t'
			: firstLine.includes(',')
				? ','
				: firstLine.includes(';')
					? ';'
					: ',';
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < src.length; i++) {
		const ch = src[i];
		if (quoted) {
			if (ch === '"' && src[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"' && field === '') quoted = true;
		else if (ch === sep) {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && src[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || row.length) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

/** Text of a CSV file: UTF-8 (with or without BOM), or GB18030/GBK as Excel in Chinese saves it. */
export function decodeText(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

function cellText(v: ExcelJS.CellValue): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object') {
		if ('richText' in v) return v.richText.map((t) => t.text).join('');
		if ('text' in v && typeof v.text === 'string') return v.text;
		if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
	}
	return String(v);
}

const isXlsx = (b: Uint8Array) =>
	b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Rows of cells from CSV or XLSX (decided by content, not by the file name). */
export async function readSheet(bytes: Uint8Array): Promise<string[][]> {
	if (bytes.length > IMPORT_MAX_BYTES)
		throw new RuleViolation('cohorts_import_too_big', 'file', { max: 2 });
	if (isXlsx(bytes)) {
		const wb = new ExcelJS.Workbook();
		try {
			await wb.xlsx.load(
				bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
			);
		} catch {
			throw new RuleViolation('cohorts_import_unreadable', 'file');
		}
		const ws = wb.worksheets[0];
		if (!ws) throw new RuleViolation('cohorts_import_empty', 'file');
		const out: string[][] = [];
		ws.eachRow({ includeEmpty: true }, (row) => {
			const values = Array.isArray(row.values) ? row.values.slice(1) : [];
			out.push(values.map((v) => cellText(v as ExcelJS.CellValue)));
		});
		return out;
	}
	if (bytes.includes(0)) throw new RuleViolation('cohorts_import_unreadable', 'file');
	return parseCsv(decodeText(bytes));
}

/** Maps the header row to fields and returns the data rows with their line numbers. */
export function rowsFromSheet(sheet: string[][]): (TraineeRow & { line: number })[] {
	const headerIndex = sheet.findIndex((r) => r.some((c) => c.trim() !== ''));
	if (headerIndex < 0) throw new RuleViolation('cohorts_import_empty', 'file');
	const columns = sheet[headerIndex].map(
		(h) =>
			HEADERS[
				h
					.trim()
					.toLowerCase()
					.replace(/[\s_]+/g, ' ')
					.replace(/[（(].*[)）]/, '')
					.trim()
			] ?? null
	);
	if (!columns.includes('name')) throw new RuleViolation('cohorts_import_no_name_column', 'file');
	const out: (TraineeRow & { line: number })[] = [];
	for (let i = headerIndex + 1; i < sheet.length; i++) {
		const cells = sheet[i];
		if (cells.every((c) => c.trim() === '')) continue;
		const row: TraineeRow & { line: number } = {
			line: i + 1,
			name: '',
			employeeNo: '',
			phone: '',
			email: '',
			login: ''
		};
		columns.forEach((f, j) => {
			if (f) row[f] = (cells[j] ?? '').trim();
		});
		out.push(row);
	}
	if (!out.length) throw new RuleViolation('cohorts_import_empty', 'file');
	if (out.length > IMPORT_MAX_ROWS)
		throw new RuleViolation('cohorts_import_too_many', 'file', { max: IMPORT_MAX_ROWS });
	return out;
}

const LOGIN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;

/** Checks every row against the file itself and the database; never writes. */
export async function validateRows(
	role: CohortRole,
	cohort: Cohort,
	input: (TraineeRow & { line: number })[],
	exec: Executor = db
): Promise<PreviewRow[]> {
	const rows: PreviewRow[] = input.map((r) => ({
		...r,
		name: r.name.trim(),
		employeeNo: r.employeeNo.trim(),
		phone: r.phone.trim(),
		email: r.email.trim(),
		login: (r.login.trim() || r.employeeNo.trim()).toLowerCase(),
		action: 'create',
		errors: []
	}));
	const logins = rows.map((r) => r.login).filter(Boolean);
	const existing = logins.length
		? await exec.select().from(users).where(inArray(users.login, logins))
		: [];
	const byLogin = new Map(existing.map((u) => [u.login, u]));
	const empNos = rows.map((r) => r.employeeNo).filter(Boolean);
	const byEmp = new Map(
		(empNos.length
			? await exec
					.select({ id: users.id, employeeNo: users.employeeNo })
					.from(users)
					.where(inArray(users.employeeNo, empNos))
			: []
		).map((u) => [u.employeeNo!, u.id])
	);
	const ids = existing.map((u) => u.id);
	const roleRows = ids.length
		? await exec.select().from(userRoles).where(inArray(userRoles.userId, ids))
		: [];
	const rolesOf = new Map<string, string[]>();
	for (const r of roleRows) rolesOf.set(r.userId, [...(rolesOf.get(r.userId) ?? []), r.role]);
	const active = new Map(
		(ids.length
			? await exec
					.select({
						userId: enrollments.userId,
						cohortId: enrollments.cohortId,
						active: enrollments.active
					})
					.from(enrollments)
					.where(inArray(enrollments.userId, ids))
			: []
		)
			.filter((e) => e.active)
			.map((e) => [e.userId, e.cohortId])
	);
	const seenLogin = new Map<string, number>();
	const seenEmp = new Map<string, number>();
	for (const r of rows) {
		const err = (field: RowError['field'], code: string, params?: RowError['params']) =>
			r.errors.push({ field, code, ...(params ? { params } : {}) });
		if (!r.name) err('name', 'error_required');
		else if (r.name.length > 60) err('name', 'error_too_long', { max: 60 });
		if (!r.login) err('login', 'cohorts_import_login_required');
		else if (!LOGIN.test(r.login)) err('login', 'error_login_format');
		if (r.email && !EMAIL.test(r.email)) err('email', 'error_email');
		if (r.phone && !PHONE.test(r.phone)) err('phone', 'cohorts_import_bad_phone');
		if (r.employeeNo.length > 30) err('employeeNo', 'error_too_long', { max: 30 });
		if (r.login) {
			if (seenLogin.has(r.login))
				err('login', 'cohorts_import_duplicate_in_file', { line: seenLogin.get(r.login)! });
			else seenLogin.set(r.login, r.line);
		}
		if (r.employeeNo) {
			if (seenEmp.has(r.employeeNo))
				err('employeeNo', 'cohorts_import_duplicate_in_file', { line: seenEmp.get(r.employeeNo)! });
			else seenEmp.set(r.employeeNo, r.line);
		}
		const user = r.login ? byLogin.get(r.login) : undefined;
		if (user) {
			if (!(rolesOf.get(user.id) ?? []).includes('trainee'))
				err('login', 'cohorts_import_not_trainee');
			else if (!user.active) err('login', 'cohorts_import_inactive');
			else {
				const inCohort = active.get(user.id);
				if (inCohort === cohort.id) err('login', 'cohorts_error_already_enrolled');
				else if (inCohort) {
					if (role === 'manager') r.action = 'move';
					else err('login', 'cohorts_import_in_other_cohort');
				} else r.action = 'enroll';
			}
			if (r.employeeNo && user.employeeNo && user.employeeNo !== r.employeeNo)
				err('employeeNo', 'cohorts_import_employee_mismatch');
		} else if (r.employeeNo && byEmp.has(r.employeeNo))
			err('employeeNo', 'error_employee_no_taken');
	}
	return rows;
}

export type ImportPreview = {
	rows: PreviewRow[];
	clean: boolean;
	counts: { create: number; enroll: number; move: number; errors: number };
};

function summarise(rows: PreviewRow[]): ImportPreview {
	const errors = rows.filter((r) => r.errors.length).length;
	return {
		rows,
		clean: errors === 0,
		counts: {
			create: rows.filter((r) => !r.errors.length && r.action === 'create').length,
			enroll: rows.filter((r) => !r.errors.length && r.action === 'enroll').length,
			move: rows.filter((r) => !r.errors.length && r.action === 'move').length,
			errors
		}
	};
}

/** Reads and checks a file; nothing is written. Admin/HR or the cohort's teacher. */
export async function previewImport(
	actor: Actor,
	cohortId: string,
	bytes: Uint8Array
): Promise<ImportPreview> {
	const { cohort, role } = await requireCohort(actor, cohortId, ['manager', 'teacher']);
	const rows = rowsFromSheet(await readSheet(bytes));
	return summarise(await validateRows(role, cohort, rows));
}

export type ImportedTrainee = {
	name: string;
	login: string;
	employeeNo: string;
	oneTimePassword: string | null;
	action: PreviewRow['action'];
};

/** Imports the rows of a clean preview in one transaction: re-validated here, so a file that
 *  changed in between (or a forged post) is refused whole, with nothing written. */
export async function commitImport(
	actor: Actor,
	cohortId: string,
	input: (TraineeRow & { line: number })[],
	ip: string | null
): Promise<ImportedTrainee[]> {
	const { role } = await requireCohort(actor, cohortId, ['manager', 'teacher']);
	if (!input.length) throw new RuleViolation('cohorts_import_empty', 'file');
	if (input.length > IMPORT_MAX_ROWS)
		throw new RuleViolation('cohorts_import_too_many', 'file', { max: IMPORT_MAX_ROWS });
	return db.transaction(async (tx) => {
		const { cohort } = await requireCohort(actor, cohortId, [role], tx);
		const checked = summarise(await validateRows(role, cohort, input, tx));
		if (!checked.clean)
			throw new RuleViolation('cohorts_import_not_clean', 'file', { count: checked.counts.errors });
		const out: ImportedTrainee[] = [];
		for (const r of checked.rows) {
			let userId: string;
			let oneTimePassword: string | null = null;
			if (r.action === 'create') {
				const created = await insertAccount(
					{
						login: r.login,
						displayName: r.name,
						employeeNo: r.employeeNo || null,
						email: r.email || null,
						phone: r.phone || null,
						roles: ['trainee']
					},
					tx
				);
				userId = created.id;
				oneTimePassword = created.oneTimePassword;
			} else {
				const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.login, r.login));
				userId = u.id;
			}
			await enrollTx(tx, cohort, userId);
			out.push({
				name: r.name,
				login: r.login,
				employeeNo: r.employeeNo,
				oneTimePassword,
				action: r.action
			});
		}
		await recordAudit(
			{
				actor,
				action: 'cohorts.import',
				target: `cohort:${cohortId}`,
				ip,
				detail: {
					created: checked.counts.create,
					enrolled: checked.counts.enroll,
					moved: checked.counts.move
				}
			},
			tx
		);
		return out;
	});
}

/** One trainee by hand: the same checks as a one-row import. */
export async function addTrainee(
	actor: Actor,
	cohortId: string,
	row: TraineeRow,
	ip: string | null
): Promise<ImportedTrainee> {
	const { cohort, role } = await requireCohort(actor, cohortId, ['manager', 'teacher']);
	const [checked] = await validateRows(role, cohort, [{ ...row, line: 1 }]);
	if (checked.errors.length) {
		const e = checked.errors[0];
		throw new RuleViolation(e.code, e.field || undefined, e.params);
	}
	const [done] = await commitImport(actor, cohortId, [{ ...row, line: 1 }], ip);
	return done;
}

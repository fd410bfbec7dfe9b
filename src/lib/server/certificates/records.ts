// HR's certification records: one row per enrollment (a trainee in a cohort), with the status
// derived in SQL from the certificate and the stage state, searchable, filterable, sortable,
// paginated and exportable; and the record page that traces a certificate back to its evidence.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { recordAudit } from '../audit/log';
import { notFound } from '../cohorts/access';
import { cohorts, enrollments } from '../cohorts/schema';
import { db } from '../db/client';
import { dossierView, type Dossier } from '../dossier/view';
import { assertRole } from '../errors';
import { attempts, manualGrades } from '../attempts/schema';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { certificatesOfEnrollment, localDay, type CertificateView } from './certificates';
import { certificates } from './schema';
import { getProgram } from '../content';

import {
	RECORD_SORTS,
	RECORD_STATUSES,
	type RecordSort,
	type RecordStatus
} from '../../records-shared';
import { isUuid } from '$lib/uuid';
export { RECORD_SORTS, RECORD_STATUSES, type RecordSort, type RecordStatus };

export type RecordFilters = {
	q?: string;
	cohortId?: string | null;
	teacherId?: string | null;
	status?: RecordStatus | null;
	/** Inclusive calendar days (YYYY-MM-DD) on the record's date: issue date when certified, else enrollment date. */
	from?: string | null;
	to?: string | null;
	sort?: RecordSort;
	dir?: 'asc' | 'desc';
};

export type RecordRow = {
	enrollmentId: string;
	userId: string;
	name: string;
	employeeNo: string | null;
	cohortId: string;
	cohortName: string;
	teacherName: string;
	programSlug: string;
	status: RecordStatus;
	stageIndex: number;
	enrolledAt: Date;
	certificateId: string | null;
	certificateNumber: string | null;
	issuedAt: Date | null;
	validUntil: string | null;
	/** Mean of the latest graded result of each assessment, percent. */
	averageScore: number | null;
	/** Latest graded result in the program's last stage, percent. */
	finalScore: number | null;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function statusSql(today: string): SQL<RecordStatus> {
	return sql<RecordStatus>`case
		when ${certificates.status} = 'revoked' then 'revoked'
		when ${certificates.id} is not null and ${certificates.validUntil} < ${today}::date then 'expired'
		when ${certificates.id} is not null then 'certified'
		when ${enrollments.stageStatus} = 'eliminated' then 'eliminated'
		else 'in_training' end`;
}

function whereOf(f: RecordFilters, status: SQL<RecordStatus>): SQL {
	// Moved-out enrollments are history of the person, not certification records.
	const parts: SQL[] = [
		sql`(${enrollments.active} or ${enrollments.endReason} is distinct from 'moved' or ${certificates.id} is not null)`
	];
	const q = f.q?.trim().slice(0, 50);
	if (q) {
		const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		parts.push(sql`(${users.displayName} ilike ${like} or ${users.employeeNo} ilike ${like})`);
	}
	if (f.cohortId && isUuid(f.cohortId)) parts.push(sql`${enrollments.cohortId} = ${f.cohortId}`);
	if (f.teacherId && isUuid(f.teacherId)) parts.push(sql`${cohorts.teacherId} = ${f.teacherId}`);
	if (f.status && (RECORD_STATUSES as readonly string[]).includes(f.status))
		parts.push(sql`${status} = ${f.status}`);
	const recordDay = sql`(coalesce(${certificates.issuedAt}, ${enrollments.enrolledAt}) at time zone 'Asia/Shanghai')::date`;
	if (f.from && DAY.test(f.from)) parts.push(sql`${recordDay} >= ${f.from}::date`);
	if (f.to && DAY.test(f.to)) parts.push(sql`${recordDay} <= ${f.to}::date`);
	return and(...parts)!;
}

function orderOf(f: RecordFilters, status: SQL<RecordStatus>): SQL[] {
	const dir = f.dir === 'desc' ? desc : asc;
	const key: Record<RecordSort, SQL> = {
		name: sql`${users.displayName}`,
		employee_no: sql`${users.employeeNo}`,
		cohort: sql`${cohorts.name}`,
		status,
		enrolled: sql`${enrollments.enrolledAt}`,
		issued: sql`${certificates.issuedAt}`
	};
	const chosen = key[f.sort && RECORD_SORTS.includes(f.sort) ? f.sort : 'enrolled'];
	return [
		f.dir === 'desc' ? sql`${chosen} desc nulls last` : sql`${chosen} asc nulls last`,
		dir(enrollments.id)
	];
}

const teacher = sql<string>`(select t.display_name from users t where t.id = ${cohorts.teacherId})`;

function baseQuery(status: SQL<RecordStatus>) {
	return db
		.select({
			enrollmentId: enrollments.id,
			userId: enrollments.userId,
			name: users.displayName,
			employeeNo: users.employeeNo,
			cohortId: cohorts.id,
			cohortName: cohorts.name,
			teacherName: teacher,
			programSlug: enrollments.programSlug,
			status,
			stageIndex: enrollments.stageIndex,
			enrolledAt: enrollments.enrolledAt,
			certificateId: certificates.id,
			certificateNumber: certificates.number,
			issuedAt: certificates.issuedAt,
			validUntil: certificates.validUntil
		})
		.from(enrollments)
		.innerJoin(users, eq(users.id, enrollments.userId))
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.leftJoin(certificates, eq(certificates.enrollmentId, enrollments.id));
}

/** Scores for a page of records: the latest graded result per assessment, in one query. */
async function scoresFor(
	rows: { enrollmentId: string; programSlug: string }[]
): Promise<Map<string, { average: number | null; final: number | null }>> {
	const out = new Map<string, { average: number | null; final: number | null }>();
	if (!rows.length) return out;
	const latest = await db
		.selectDistinctOn([attempts.enrollmentId, attempts.examSlug], {
			enrollmentId: attempts.enrollmentId,
			stageSlug: attempts.stageSlug,
			percent: attempts.percent
		})
		.from(attempts)
		.where(
			and(
				inArray(
					attempts.enrollmentId,
					rows.map((r) => r.enrollmentId)
				),
				inArray(attempts.state, ['graded', 'released'])
			)
		)
		.orderBy(
			attempts.enrollmentId,
			attempts.examSlug,
			desc(attempts.gradedAt),
			desc(attempts.attemptNo)
		);
	const lastStage = new Map<string, string>();
	for (const r of rows) {
		try {
			const stages = getProgram(r.programSlug).stages;
			lastStage.set(r.enrollmentId, stages[stages.length - 1].slug);
		} catch {
			/* a program no longer in content: no final stage */
		}
	}
	for (const r of rows) {
		const mine = latest.filter((l) => l.enrollmentId === r.enrollmentId && l.percent !== null);
		const avg = mine.length
			? Math.round((mine.reduce((a, l) => a + l.percent!, 0) / mine.length) * 10) / 10
			: null;
		const fin = mine.filter((l) => l.stageSlug === lastStage.get(r.enrollmentId));
		out.set(r.enrollmentId, {
			average: avg,
			final: fin.length
				? Math.round((fin.reduce((a, l) => a + l.percent!, 0) / fin.length) * 10) / 10
				: null
		});
	}
	return out;
}

async function withScores(
	rows: Omit<RecordRow, 'averageScore' | 'finalScore'>[]
): Promise<RecordRow[]> {
	const scores = await scoresFor(rows);
	return rows.map((r) => ({
		...r,
		averageScore: scores.get(r.enrollmentId)?.average ?? null,
		finalScore: scores.get(r.enrollmentId)?.final ?? null
	}));
}

export async function listRecords(
	actor: Actor,
	f: RecordFilters,
	page = 1,
	pageSize = 25,
	now = new Date()
) {
	assertRole(actor, 'hr', 'admin');
	const status = statusSql(localDay(now));
	const where = whereOf(f, status);
	const [{ total }] = await db
		.select({ total: sql<number>`count(*)::int` })
		.from(enrollments)
		.innerJoin(users, eq(users.id, enrollments.userId))
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.leftJoin(certificates, eq(certificates.enrollmentId, enrollments.id))
		.where(where);
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const p = Math.min(Math.max(1, page), pages);
	const rows = await baseQuery(status)
		.where(where)
		.orderBy(...orderOf(f, status))
		.limit(pageSize)
		.offset((p - 1) * pageSize);
	return { rows: await withScores(rows), total, page: p, pages };
}

export const EXPORT_MAX_ROWS = 100_000;

export type ExportColumn = { key: keyof RecordRow | 'statusLabel'; label: string };

/** The filtered list as a file, with the screen's columns; every export is audit-logged. */
export async function exportRecords(
	actor: Actor,
	f: RecordFilters,
	format: 'csv' | 'xlsx',
	labels: { columns: Record<string, string>; status: Record<RecordStatus, string>; sheet: string },
	ip: string | null,
	now = new Date()
): Promise<{ body: Uint8Array; rows: number }> {
	assertRole(actor, 'hr', 'admin');
	const status = statusSql(localDay(now));
	const raw = await baseQuery(status)
		.where(whereOf(f, status))
		.orderBy(...orderOf(f, status))
		.limit(EXPORT_MAX_ROWS);
	const rows: RecordRow[] = [];
	for (let i = 0; i < raw.length; i += 1000)
		rows.push(...(await withScores(raw.slice(i, i + 1000))));
	const columns = recordColumns(labels.columns);
	const values = rows.map((r) => columns.map((c) => cell(r, c.key, labels.status)));
	let body: Uint8Array;
	if (format === 'csv') {
		const esc = (v: string | number | null) => {
			const s = v === null ? '' : String(v);
			return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s)
				? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`
				: s;
		};
		const text =
			[columns.map((c) => esc(c.label)).join(','), ...values.map((v) => v.map(esc).join(','))].join(
				'\r\n'
			) + '\r\n';
		body = new TextEncoder().encode('\uFEFF' + text);
	} else {
		const wb = new ExcelJS.Workbook();
		wb.creator = 'callcenter-training';
		const ws = wb.addWorksheet(labels.sheet);
		ws.columns = columns.map((c) => ({
			header: c.label,
			key: c.key,
			width: Math.max(10, c.label.length * 2 + 4)
		}));
		ws.getRow(1).font = { bold: true };
		ws.views = [{ state: 'frozen', ySplit: 1 }];
		for (const v of values) ws.addRow(v);
		body = new Uint8Array(await wb.xlsx.writeBuffer());
	}
	await recordAudit({
		actor,
		action: 'records.export',
		ip,
		detail: { format, rows: rows.length, filters: { ...f } }
	});
	return { body, rows: rows.length };
}

export function recordColumns(labels: Record<string, string>): ExportColumn[] {
	const keys: ExportColumn['key'][] = [
		'name',
		'employeeNo',
		'cohortName',
		'teacherName',
		'programSlug',
		'statusLabel',
		'enrolledAt',
		'certificateNumber',
		'issuedAt',
		'validUntil',
		'averageScore',
		'finalScore'
	];
	return keys.map((key) => ({ key, label: labels[key] ?? key }));
}

function cell(
	r: RecordRow,
	key: ExportColumn['key'],
	status: Record<RecordStatus, string>
): string | number | null {
	if (key === 'statusLabel') return status[r.status];
	if (key === 'programSlug') {
		try {
			return getProgram(r.programSlug).title;
		} catch {
			return r.programSlug;
		}
	}
	const v = r[key];
	if (v instanceof Date) return localDay(v);
	return (v as string | number | null) ?? null;
}

export type AttemptTrace = {
	id: string;
	examSlug: string;
	stageSlug: string;
	attemptNo: number;
	round: number;
	state: string;
	submittedAt: Date | null;
	gradedAt: Date | null;
	score: number | null;
	maxScore: number | null;
	percent: number | null;
	passed: boolean | null;
	graders: string[];
};

export type RecordDetail = {
	enrollmentId: string;
	cohortId: string;
	cohortName: string;
	teacherName: string;
	programTitle: string;
	programTitleEn: string;
	status: RecordStatus;
	readyForCertification: boolean;
	certificates: CertificateView[];
	attempts: AttemptTrace[];
	dossier: Dossier;
};

/** The record page: certificate(s), every assessment attempt with its graders, and the dossier
 *  (profile, decisions, timeline) as HR may see it — private teacher notes stay out. */
export async function recordDetail(
	actor: Actor,
	enrollmentId: string,
	now = new Date()
): Promise<RecordDetail> {
	assertRole(actor, 'hr', 'admin');
	if (!isUuid(enrollmentId)) notFound();
	const status = statusSql(localDay(now));
	const [row] = await baseQuery(status).where(eq(enrollments.id, enrollmentId));
	if (!row) notFound();
	const [e] = await db.select().from(enrollments).where(eq(enrollments.id, enrollmentId));
	const graderName = sql<
		string[]
	>`coalesce((select array_agg(distinct g.display_name) from ${manualGrades} mg join ${users} g on g.id = mg.grader_id where mg.attempt_id = ${attempts.id}), '{}')`;
	const trace = await db
		.select({
			id: attempts.id,
			examSlug: attempts.examSlug,
			stageSlug: attempts.stageSlug,
			attemptNo: attempts.attemptNo,
			round: attempts.round,
			state: attempts.state,
			submittedAt: attempts.submittedAt,
			gradedAt: attempts.gradedAt,
			score: attempts.score,
			maxScore: attempts.maxScore,
			percent: attempts.percent,
			passed: attempts.passed,
			graders: graderName
		})
		.from(attempts)
		.where(and(eq(attempts.userId, row.userId), eq(attempts.enrollmentId, enrollmentId)))
		.orderBy(asc(attempts.startedAt));
	let programTitle = row.programSlug;
	let programTitleEn = row.programSlug;
	try {
		const p = getProgram(row.programSlug);
		programTitle = p.title;
		programTitleEn = p.titleEn;
	} catch {
		/* keep the slug */
	}
	return {
		enrollmentId,
		cohortId: row.cohortId,
		cohortName: row.cohortName,
		teacherName: row.teacherName,
		programTitle,
		programTitleEn,
		status: row.status,
		readyForCertification: e.readyForCertification,
		certificates: await certificatesOfEnrollment(actor, enrollmentId),
		attempts: trace.map((t) => ({ ...t, graders: t.graders ?? [] })),
		dossier: await dossierView(actor, row.userId)
	};
}

/** Filter options: cohorts and homeroom teachers. */
export async function recordFilterOptions(actor: Actor) {
	assertRole(actor, 'hr', 'admin');
	const cohortRows = await db
		.select({ id: cohorts.id, name: cohorts.name })
		.from(cohorts)
		.orderBy(desc(cohorts.startsOn), asc(cohorts.name))
		.limit(2000);
	const teacherRows = await db
		.selectDistinct({ id: users.id, name: users.displayName })
		.from(cohorts)
		.innerJoin(users, eq(users.id, cohorts.teacherId))
		.orderBy(asc(users.displayName));
	return { cohorts: cohortRows, teachers: teacherRows };
}

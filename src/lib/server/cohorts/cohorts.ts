// Cohorts (培训班) and enrollments: admin/HR create cohorts; admin/HR and the homeroom teacher
// add trainees. One active enrollment per trainee; a move keeps the old one as history.
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { loadCatalog } from '../content';
import { db, type Executor } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import { hasRole, type Actor, type Role } from '../people/roles';
import { userRoles, users } from '../people/schema';
import { profileRecords } from '../profiles/schema';
import { notFound, requireCohort, type Cohort, type CohortRole } from './access';
import { cohortExaminers, cohorts, enrollments } from './schema';

export type CohortInput = {
	name: string;
	programSlug: string;
	startsOn: string;
	endsOn: string;
	teacherId: string;
	examinerIds: string[];
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function usersWithRole(ids: string[], roles: Role[], exec: Executor): Promise<Set<string>> {
	if (!ids.length) return new Set();
	const rows = await exec
		.select({ id: userRoles.userId })
		.from(userRoles)
		.innerJoin(users, eq(users.id, userRoles.userId))
		.where(
			and(inArray(userRoles.userId, ids), inArray(userRoles.role, roles), eq(users.active, true))
		);
	return new Set(rows.map((r) => r.id));
}

async function checkCohortInput(input: CohortInput, exec: Executor): Promise<CohortInput> {
	const name = input.name.trim();
	if (!name) throw new RuleViolation('error_required', 'name');
	if (name.length > 80) throw new RuleViolation('error_too_long', 'name', { max: 80 });
	if (!loadCatalog().programs.some((p) => p.slug === input.programSlug))
		throw new RuleViolation('cohorts_error_program', 'programSlug');
	if (!DATE.test(input.startsOn) || Number.isNaN(Date.parse(input.startsOn)))
		throw new RuleViolation('cohorts_error_date', 'startsOn');
	if (!DATE.test(input.endsOn) || Number.isNaN(Date.parse(input.endsOn)))
		throw new RuleViolation('cohorts_error_date', 'endsOn');
	if (input.endsOn < input.startsOn) throw new RuleViolation('cohorts_error_dates_order', 'endsOn');
	if (!(await usersWithRole([input.teacherId], ['teacher'], exec)).has(input.teacherId))
		throw new RuleViolation('cohorts_error_not_teacher', 'teacherId');
	const examinerIds = [...new Set(input.examinerIds)];
	const ok = await usersWithRole(examinerIds, ['examiner', 'teacher'], exec);
	if (examinerIds.some((id) => !ok.has(id)))
		throw new RuleViolation('cohorts_error_not_examiner', 'examinerIds');
	return { ...input, name, examinerIds };
}

export async function createCohort(
	actor: Actor,
	input: CohortInput,
	ip: string | null
): Promise<{ id: string }> {
	assertRole(actor, 'admin', 'hr');
	return db.transaction(async (tx) => {
		const c = await checkCohortInput(input, tx);
		const [row] = await tx
			.insert(cohorts)
			.values({
				name: c.name,
				programSlug: c.programSlug,
				startsOn: c.startsOn,
				endsOn: c.endsOn,
				teacherId: c.teacherId,
				createdBy: actor.id
			})
			.returning({ id: cohorts.id });
		if (c.examinerIds.length)
			await tx
				.insert(cohortExaminers)
				.values(c.examinerIds.map((userId) => ({ cohortId: row.id, userId })));
		await recordAudit(
			{
				actor,
				action: 'cohorts.create',
				target: `cohort:${row.id}`,
				ip,
				detail: { name: c.name, teacherId: c.teacherId, examinerIds: c.examinerIds }
			},
			tx
		);
		return row;
	});
}

export async function updateCohort(
	actor: Actor,
	cohortId: string,
	input: CohortInput,
	ip: string | null
): Promise<void> {
	await requireCohort(actor, cohortId, ['manager']);
	await db.transaction(async (tx) => {
		const c = await checkCohortInput(input, tx);
		await tx
			.update(cohorts)
			.set({ name: c.name, startsOn: c.startsOn, endsOn: c.endsOn, teacherId: c.teacherId })
			.where(eq(cohorts.id, cohortId));
		await tx.delete(cohortExaminers).where(eq(cohortExaminers.cohortId, cohortId));
		if (c.examinerIds.length)
			await tx
				.insert(cohortExaminers)
				.values(c.examinerIds.map((userId) => ({ cohortId, userId })));
		await recordAudit(
			{
				actor,
				action: 'cohorts.update',
				target: `cohort:${cohortId}`,
				ip,
				detail: { name: c.name, teacherId: c.teacherId, examinerIds: c.examinerIds }
			},
			tx
		);
	});
}

export type CohortListItem = {
	id: string;
	name: string;
	startsOn: string;
	endsOn: string;
	teacherName: string;
	trainees: number;
	role: CohortRole;
};

/** Admin/HR: every cohort; a teacher: their own; an examiner: those they are listed on. */
export async function listCohorts(actor: Actor): Promise<CohortListItem[]> {
	assertRole(actor, 'teacher', 'examiner', 'hr', 'admin');
	const rows = await db
		.select({ c: cohorts, teacherName: users.displayName })
		.from(cohorts)
		.innerJoin(users, eq(users.id, cohorts.teacherId))
		.orderBy(desc(cohorts.startsOn), asc(cohorts.name));
	const examining = new Set(
		(
			await db
				.select({ id: cohortExaminers.cohortId })
				.from(cohortExaminers)
				.where(eq(cohortExaminers.userId, actor.id))
		).map((r) => r.id)
	);
	const counts = new Map(
		(
			await db
				.select({ id: enrollments.cohortId, n: count() })
				.from(enrollments)
				.where(eq(enrollments.active, true))
				.groupBy(enrollments.cohortId)
		).map((r) => [r.id, r.n])
	);
	const out: CohortListItem[] = [];
	for (const { c, teacherName } of rows) {
		let role: CohortRole | null = null;
		if (hasRole(actor, 'teacher') && c.teacherId === actor.id) role = 'teacher';
		else if (hasRole(actor, 'admin', 'hr')) role = 'manager';
		else if (hasRole(actor, 'examiner', 'teacher') && examining.has(c.id)) role = 'examiner';
		if (role)
			out.push({
				id: c.id,
				name: c.name,
				startsOn: c.startsOn,
				endsOn: c.endsOn,
				teacherName,
				trainees: counts.get(c.id) ?? 0,
				role
			});
	}
	return out;
}

export type CohortDetail = Cohort & {
	role: CohortRole;
	teacherName: string;
	examiners: { id: string; displayName: string }[];
};

export async function getCohort(actor: Actor, cohortId: string): Promise<CohortDetail> {
	const { cohort, role } = await requireCohort(actor, cohortId, ['manager', 'teacher', 'examiner']);
	const [teacher] = await db
		.select({ displayName: users.displayName })
		.from(users)
		.where(eq(users.id, cohort.teacherId));
	const examiners = await db
		.select({ id: users.id, displayName: users.displayName })
		.from(cohortExaminers)
		.innerJoin(users, eq(users.id, cohortExaminers.userId))
		.where(eq(cohortExaminers.cohortId, cohortId))
		.orderBy(asc(users.displayName));
	return { ...cohort, role, teacherName: teacher.displayName, examiners };
}

/** Teachers and examiners to choose from on the cohort form. */
export async function listStaff(
	actor: Actor
): Promise<{ teachers: StaffOption[]; examiners: StaffOption[] }> {
	assertRole(actor, 'admin', 'hr');
	const rows = await db
		.select({
			id: users.id,
			displayName: users.displayName,
			login: users.login,
			role: userRoles.role
		})
		.from(users)
		.innerJoin(userRoles, eq(userRoles.userId, users.id))
		.where(and(eq(users.active, true), inArray(userRoles.role, ['teacher', 'examiner'])))
		.orderBy(asc(users.displayName));
	const teachers = new Map<string, StaffOption>();
	const examiners = new Map<string, StaffOption>();
	for (const r of rows) {
		const o = { id: r.id, displayName: r.displayName, login: r.login };
		if (r.role === 'teacher') teachers.set(r.id, o);
		examiners.set(r.id, o);
	}
	return { teachers: [...teachers.values()], examiners: [...examiners.values()] };
}
export type StaffOption = { id: string; displayName: string; login: string };

/** Enrolls (or moves) a trainee into a cohort inside the caller's transaction. A trainee whose
 *  pre-training record is already final starts in training. */
export async function enrollTx(
	tx: Executor,
	cohort: Cohort,
	userId: string
): Promise<{ id: string; movedFrom: string | null }> {
	const [current] = await tx
		.select()
		.from(enrollments)
		.where(and(eq(enrollments.userId, userId), eq(enrollments.active, true)));
	if (current?.cohortId === cohort.id)
		throw new RuleViolation('cohorts_error_already_enrolled', 'login');
	if (current)
		await tx
			.update(enrollments)
			.set({ active: false, endedAt: sql`now()`, endReason: 'moved' })
			.where(eq(enrollments.id, current.id));
	const [finalProfile] = await tx
		.select({ id: profileRecords.id })
		.from(profileRecords)
		.where(and(eq(profileRecords.userId, userId), eq(profileRecords.status, 'final')))
		.limit(1);
	const [row] = await tx
		.insert(enrollments)
		.values({
			cohortId: cohort.id,
			userId,
			programSlug: cohort.programSlug,
			stageStatus: finalProfile ? 'in_training' : 'not_started'
		})
		.returning({ id: enrollments.id });
	return { id: row.id, movedFrom: current?.cohortId ?? null };
}

export type EnrollmentHistoryItem = {
	id: string;
	cohortId: string;
	cohortName: string;
	active: boolean;
	enrolledAt: Date;
	endedAt: Date | null;
	endReason: string | null;
};

/** Every enrollment of a trainee, newest first; the caller has checked access. */
export async function enrollmentHistory(
	userId: string,
	exec: Executor = db
): Promise<EnrollmentHistoryItem[]> {
	const rows = await exec
		.select({ e: enrollments, cohortName: cohorts.name })
		.from(enrollments)
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.where(eq(enrollments.userId, userId))
		.orderBy(desc(enrollments.enrolledAt));
	return rows.map((r) => ({
		id: r.e.id,
		cohortId: r.e.cohortId,
		cohortName: r.cohortName,
		active: r.e.active,
		enrolledAt: r.e.enrolledAt,
		endedAt: r.e.endedAt,
		endReason: r.e.endReason
	}));
}

/** Saves the class work plan or the class summary (markdown); the homeroom teacher only. */
export async function saveCohortDocument(
	actor: Actor,
	cohortId: string,
	doc: 'workPlan' | 'summary',
	text: string,
	ip: string | null
): Promise<void> {
	await requireCohort(actor, cohortId, ['teacher']);
	if (text.length > 50_000) throw new RuleViolation('error_too_long', doc, { max: 50_000 });
	await db.transaction(async (tx) => {
		await tx
			.update(cohorts)
			.set(doc === 'workPlan' ? { workPlan: text } : { summary: text })
			.where(eq(cohorts.id, cohortId));
		await recordAudit(
			{
				actor,
				action: `cohorts.${doc === 'workPlan' ? 'work_plan' : 'summary'}`,
				target: `cohort:${cohortId}`,
				ip,
				detail: { length: text.length }
			},
			tx
		);
	});
}

/** 404 unless the trainee is or was enrolled in the cohort (so URLs with mixed ids fail). */
export async function cohortTrainee(
	cohortId: string,
	userId: string
): Promise<typeof enrollments.$inferSelect> {
	const rows = await db
		.select()
		.from(enrollments)
		.where(and(eq(enrollments.cohortId, cohortId), eq(enrollments.userId, userId)))
		.orderBy(desc(enrollments.enrolledAt));
	if (!rows.length) notFound();
	return rows[0];
}

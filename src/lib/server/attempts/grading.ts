// Examiners grade what the machine cannot (short answers); teachers and examiners release
// results; both see item analysis. Everyone here sees only the trainees of cohorts where they
// are the homeroom teacher or a listed examiner.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { cohortExaminers, cohorts, enrollments } from '../cohorts/schema';
import { findCaseExam, findExam, findMockExam } from '../content/index';
import { db, type Executor } from '../db/client';
import { recordDossierEvent } from '../dossier/events';
import type { PaperKey } from '../exams/draw';
import { gradeShortAnswer as scoreShort, scorePaper } from '../exams/scoring';
import { fullKey, servedPaper } from '../exams/versions';
import { assertRole, RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { finishGrading, type Attempt } from './attempts';
import { nextAttemptState } from './lifecycle';
import { attempts, manualGrades, responses } from './schema';

/** Attempts of trainees in cohorts the actor teaches or examines. */
export function gradeableBy(actor: Actor) {
	return sql`exists (
		select 1 from ${enrollments} e join ${cohorts} c on c.id = e.cohort_id
		where e.id = ${attempts.enrollmentId}
			and (c.teacher_id = ${actor.id}::uuid or exists (
				select 1 from ${cohortExaminers} ce where ce.cohort_id = c.id and ce.user_id = ${actor.id}::uuid)))`;
}

async function gradeableAttempt(
	actor: Actor,
	attemptId: string,
	exec: Executor = db
): Promise<Omit<Attempt, 'key'> & { key: PaperKey }> {
	assertRole(actor, 'examiner', 'teacher');
	// Case analyses have their own grading (src/lib/server/cases/grading.ts).
	const [row] = await exec
		.select()
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.kind, 'written'), gradeableBy(actor)));
	if (!row) throw new RuleViolation('error_not_found');
	return { ...row, key: await fullKey(row.key) };
}

export type QueueEntry = {
	attemptId: string;
	examSlug: string;
	kind: Attempt['kind'];
	/** The exam's title in both languages (the slug when the exam left the content). */
	title: string;
	titleEn: string;
	traineeName: string;
	employeeNo: string | null;
	submittedAt: Date | null;
	pendingItems: number;
	cohortName: string;
};

function examTitles(slug: string) {
	const exam = findExam(slug) ?? findCaseExam(slug) ?? findMockExam(slug);
	return { title: exam?.definition.title ?? slug, titleEn: exam?.definition.titleEn ?? slug };
}

export async function gradingQueue(actor: Actor): Promise<QueueEntry[]> {
	assertRole(actor, 'examiner', 'teacher');
	const rows = await db
		.select({
			attemptId: attempts.id,
			examSlug: attempts.examSlug,
			kind: attempts.kind,
			traineeName: users.displayName,
			employeeNo: users.employeeNo,
			submittedAt: attempts.submittedAt,
			itemScores: attempts.itemScores,
			cohortName: cohorts.name
		})
		.from(attempts)
		.innerJoin(users, eq(users.id, attempts.userId))
		.innerJoin(enrollments, eq(enrollments.id, attempts.enrollmentId))
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.where(and(eq(attempts.state, 'submitted'), gradeableBy(actor)))
		.orderBy(asc(attempts.submittedAt));
	return rows.map(({ itemScores, ...r }) => ({
		...r,
		...examTitles(r.examSlug),
		pendingItems: Object.values(itemScores ?? {}).filter((s) => s.correct === null).length
	}));
}

/** The manually graded items of an attempt with what the grader needs: the trainee's answer,
 *  the reference answer and the marking points. Never shown to trainees. */
export async function attemptForGrading(actor: Actor, attemptId: string) {
	const row = await gradeableAttempt(actor, attemptId);
	const [trainee] = await db
		.select({ displayName: users.displayName, employeeNo: users.employeeNo })
		.from(users)
		.where(eq(users.id, row.userId));
	const saved = await db.select().from(responses).where(eq(responses.attemptId, row.id));
	const grades = await db.select().from(manualGrades).where(eq(manualGrades.attemptId, row.id));
	const exam = findExam(row.examSlug);
	const paper = await servedPaper(row.paper);
	const items = Object.entries(row.key.items)
		.filter(([, e]) => e.item.type === 'short')
		.map(([id, e]) => {
			const item = e.item as Extract<typeof e.item, { type: 'short' }>;
			const grade = grades.find((g) => g.itemId === id);
			const served = paper.sections.flatMap((s) => s.items).find((i) => i.id === id);
			return {
				id,
				stem: served?.stem ?? item.stem,
				points: e.points,
				answer: (saved.find((r) => r.itemId === id)?.value as string | undefined) ?? '',
				reference: item.reference,
				markingPoints: item.markingPoints.map((p) => ({
					id: p.id,
					text: p.text,
					points: p.points
				})),
				grade: grade
					? { awarded: grade.awarded, points: grade.points, comment: grade.comment }
					: null
			};
		});
	return {
		id: row.id,
		examTitle: exam?.definition.title ?? row.examSlug,
		examTitleEn: exam?.definition.titleEn ?? row.examSlug,
		state: row.state,
		trainee,
		attemptNo: row.attemptNo,
		submittedAt: row.submittedAt,
		objectivePoints: Object.entries(row.itemScores ?? {})
			.filter(([, s]) => s.correct !== null)
			.reduce((n, [, s]) => n + s.points, 0),
		items
	};
}

/** Grades one short answer by its marking points. Re-grading before release replaces the
 *  grade (the audit log keeps every version); after release a grade is final. */
export async function gradeShortItem(
	actor: Actor,
	attemptId: string,
	itemId: string,
	awarded: Record<string, number>,
	comment: string,
	ip: string | null
): Promise<{ complete: boolean }> {
	return db.transaction(async (tx) => {
		const row = await gradeableAttempt(actor, attemptId, tx);
		// Lock the attempt so two graders finishing the last items at once do not both finish it.
		await tx.execute(
			sql`select 1 from ${attempts} where ${attempts.id} = ${attemptId}::uuid for update`
		);
		if (row.state !== 'submitted' && row.state !== 'graded')
			throw new RuleViolation('grading_closed');
		const entry = row.key.items[itemId];
		if (!entry || entry.item.type !== 'short') throw new RuleViolation('error_not_found');
		for (const p of entry.item.markingPoints) {
			const v = awarded[p.id] ?? 0;
			if (!Number.isFinite(v) || v < 0 || v > p.points)
				throw new RuleViolation('grading_points_range', p.id, { max: p.points });
		}
		if (comment.length > 2000) throw new RuleViolation('error_too_long', 'comment', { max: 2000 });
		const score = scoreShort(entry.item, awarded, entry.points);
		await tx
			.insert(manualGrades)
			.values({ attemptId, itemId, awarded, points: score.points, comment, graderId: actor.id })
			.onConflictDoUpdate({
				target: [manualGrades.attemptId, manualGrades.itemId],
				set: { awarded, points: score.points, comment, graderId: actor.id, gradedAt: sql`now()` }
			});
		await recordAudit(
			{
				actor,
				action: 'grading.short_answer',
				target: `attempt:${attemptId}`,
				ip,
				detail: { itemId, points: score.points }
			},
			tx
		);

		const grades = await tx
			.select()
			.from(manualGrades)
			.where(eq(manualGrades.attemptId, attemptId));
		const saved = await tx
			.select({ itemId: responses.itemId, value: responses.value })
			.from(responses)
			.where(eq(responses.attemptId, attemptId));
		const paperScore = scorePaper(
			row.key,
			Object.fromEntries(saved.map((r) => [r.itemId, r.value])),
			Object.fromEntries(grades.map((g) => [g.itemId, g.awarded]))
		);
		await tx
			.update(attempts)
			.set({
				itemScores: paperScore.items,
				score: paperScore.points,
				maxScore: paperScore.max,
				percent: paperScore.percent
			})
			.where(eq(attempts.id, attemptId));
		const complete = paperScore.pending === 0;
		if (complete && row.state === 'submitted')
			await finishGrading(
				tx,
				row,
				paperScore.percent,
				paperScore.points,
				paperScore.max,
				paperScore.passed ?? false,
				actor.id
			);
		else if (row.state === 'graded')
			await tx
				.update(attempts)
				.set({ passed: paperScore.passed })
				.where(eq(attempts.id, attemptId));
		return { complete };
	});
}

export type ReleaseSummary = {
	examSlug: string;
	title: string;
	titleEn: string;
	graded: number;
	released: number;
	waiting: number;
};

/** Per exam: how many of the actor's trainees' attempts wait for grading, for release, or are out. */
export async function releaseOverview(actor: Actor): Promise<ReleaseSummary[]> {
	assertRole(actor, 'examiner', 'teacher');
	const rows = await db
		.select({ examSlug: attempts.examSlug, state: attempts.state, n: sql<number>`count(*)::int` })
		.from(attempts)
		.where(and(inArray(attempts.state, ['submitted', 'graded', 'released']), gradeableBy(actor)))
		.groupBy(attempts.examSlug, attempts.state);
	const bySlug = new Map<string, ReleaseSummary>();
	for (const r of rows) {
		const exam = findExam(r.examSlug) ?? findCaseExam(r.examSlug) ?? findMockExam(r.examSlug);
		const s = bySlug.get(r.examSlug) ?? {
			examSlug: r.examSlug,
			title: exam?.definition.title ?? r.examSlug,
			titleEn: exam?.definition.titleEn ?? r.examSlug,
			graded: 0,
			released: 0,
			waiting: 0
		};
		if (r.state === 'graded') s.graded += r.n;
		else if (r.state === 'released') s.released += r.n;
		else s.waiting += r.n;
		bySlug.set(r.examSlug, s);
	}
	return [...bySlug.values()];
}

/** Releases every graded attempt of an exam among the actor's trainees. */
export async function releaseResults(
	actor: Actor,
	examSlug: string,
	ip: string | null
): Promise<number> {
	assertRole(actor, 'examiner', 'teacher');
	return db.transaction(async (tx) => {
		const ready = await tx
			.select()
			.from(attempts)
			.where(and(eq(attempts.examSlug, examSlug), eq(attempts.state, 'graded'), gradeableBy(actor)))
			.for('update');
		for (const row of ready) {
			if (!nextAttemptState(row.state, { type: 'release' }).ok) continue;
			await tx
				.update(attempts)
				.set({ state: 'released', releasedAt: sql`now()`, releasedBy: actor.id })
				.where(eq(attempts.id, row.id));
			const exam =
				findExam(row.examSlug) ?? findCaseExam(row.examSlug) ?? findMockExam(row.examSlug);
			await recordDossierEvent(tx, {
				userId: row.userId,
				enrollmentId: row.enrollmentId,
				kind: 'assessment',
				at: new Date(),
				title: `${exam?.definition.title ?? row.examSlug}（第 ${row.attemptNo} 次）成绩发布`,
				titleEn: `${exam?.definition.titleEn ?? row.examSlug} (attempt ${row.attemptNo}) results released`,
				score: row.score,
				maxScore: row.maxScore,
				passed: row.passed,
				actorId: actor.id,
				ref: { type: 'attempt', id: row.id },
				detail: { examSlug: row.examSlug, percent: row.percent, kind: row.kind, released: true }
			});
		}
		if (ready.length)
			await recordAudit(
				{
					actor,
					action: 'grading.release',
					target: `exam:${examSlug}`,
					ip,
					detail: { attempts: ready.length }
				},
				tx
			);
		return ready.length;
	});
}

/** Graded or released attempts of an exam among the actor's trainees, for item analysis. */
export async function gradedAttemptsOf(actor: Actor, examSlug: string) {
	assertRole(actor, 'examiner', 'teacher');
	const rows = await db
		.select({
			id: attempts.id,
			key: attempts.key,
			itemScores: attempts.itemScores,
			percent: attempts.percent
		})
		.from(attempts)
		.where(
			and(
				eq(attempts.examSlug, examSlug),
				eq(attempts.kind, 'written'),
				inArray(attempts.state, ['graded', 'released']),
				gradeableBy(actor)
			)
		);
	const ids = rows.map((r) => r.id);
	const saved = ids.length
		? await db.select().from(responses).where(inArray(responses.attemptId, ids))
		: [];
	return Promise.all(
		rows.map(async (r) => ({
			percent: r.percent ?? 0,
			items: r.itemScores ?? {},
			responses: Object.fromEntries(
				saved.filter((s) => s.attemptId === r.id).map((s) => [s.itemId, s.value])
			),
			key: await fullKey(r.key)
		}))
	);
}

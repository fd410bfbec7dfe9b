// Rubric grading of case analyses with double marking and moderation, and calibration figures.
// Graders: examiners and teachers of the trainee's cohort (homeroom teacher or listed examiner).
// - Two markers grade independently; neither sees the other's scores until both have submitted.
// - Their rubric percents within the exam's threshold (and agreeing on critical items): the final
//   rubric score is their mean. Otherwise a moderator (the homeroom teacher, or an examiner who
//   did not mark it) sets the final scores with a reason.
// - Every save names the version it was based on (optimistic concurrency): another tab or person
//   who saved in between gets a conflict, never a silent overwrite.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { finishGrading, type Attempt } from '../attempts/attempts';
import { gradeableBy } from '../attempts/grading';
import { attempts, responses } from '../attempts/schema';
import { cohorts, enrollments } from '../cohorts/schema';
import { db, type Executor } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import { hasRole, type Actor } from '../people/roles';
import { users } from '../people/schema';
import { finalPercent, itemIdOf, matchCase, type CaseKey } from './auto-score';
import { casePaperOf, caseKeyOf } from './attempts';
import { calibrate, type Pair } from './calibration';
import { phraseHits } from './library';
import { rubricItems } from './rubric';
import { cleanScores, scoreRubric } from './rubric-scoring';
import { caseGradings, type PinnedComment } from './schema';

type Grading = typeof caseGradings.$inferSelect;
type Role = 'marker' | 'moderator';

async function gradeableCase(
	actor: Actor,
	attemptId: string,
	exec: Executor = db
): Promise<Attempt> {
	assertRole(actor, 'examiner', 'teacher');
	const [row] = await exec
		.select()
		.from(attempts)
		// Mock calls and mock go-live shifts are graded with the same rubric engine.
		.where(
			and(
				eq(attempts.id, attemptId),
				inArray(attempts.kind, ['case_analysis', 'mock_call', 'mock_golive']),
				gradeableBy(actor)
			)
		);
	if (!row) throw new RuleViolation('error_not_found');
	return row;
}

async function isHomeroomTeacher(
	actor: Actor,
	row: Pick<Attempt, 'enrollmentId'>,
	exec: Executor
): Promise<boolean> {
	if (!row.enrollmentId || !hasRole(actor, 'teacher')) return false;
	const [hit] = await exec
		.select({ id: cohorts.id })
		.from(enrollments)
		.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
		.where(and(eq(enrollments.id, row.enrollmentId), eq(cohorts.teacherId, actor.id)));
	return !!hit;
}

export type MarkingStatus = {
	required: number;
	markersSubmitted: number;
	markersStarted: number;
	/** Rubric percents of the submitted markers (only meaningful once all have submitted). */
	difference: number | null;
	criticalDisagreement: boolean;
	needsModeration: boolean;
	moderated: boolean;
};

export function markingStatus(
	key: Pick<CaseKey, 'doubleMarking' | 'moderationThreshold' | 'rubric'>,
	gradings: Grading[]
): MarkingStatus {
	const required = key.doubleMarking ? 2 : 1;
	const markers = gradings.filter((g) => g.role === 'marker');
	const submitted = markers.filter((g) => g.state === 'submitted');
	const moderated = gradings.some((g) => g.role === 'moderator' && g.state === 'submitted');
	let difference: number | null = null;
	let criticalDisagreement = false;
	if (required === 2 && submitted.length === 2) {
		const [a, b] = submitted.map((g) => scoreRubric(key.rubric, g.scores));
		difference = Math.round(Math.abs((a.percent ?? 0) - (b.percent ?? 0)) * 10) / 10;
		criticalDisagreement = a.criticalFailed.length > 0 !== b.criticalFailed.length > 0;
	}
	const needsModeration =
		difference !== null && (difference > key.moderationThreshold || criticalDisagreement);
	return {
		required,
		markersSubmitted: submitted.length,
		markersStarted: markers.length,
		difference,
		criticalDisagreement,
		needsModeration,
		moderated
	};
}

async function gradingsOf(attemptId: string, exec: Executor): Promise<Grading[]> {
	return exec.select().from(caseGradings).where(eq(caseGradings.attemptId, attemptId));
}

/** What the grading page shows. The other marker's scores and comments only once both have
 *  submitted; the moderator sees both then. */
export async function caseGradingView(actor: Actor, attemptId: string) {
	const row = await gradeableCase(actor, attemptId);
	const paper = casePaperOf(row);
	const key = caseKeyOf(row);
	const [trainee] = await db
		.select({ displayName: users.displayName, employeeNo: users.employeeNo })
		.from(users)
		.where(eq(users.id, row.userId));
	const saved = await db.select().from(responses).where(eq(responses.attemptId, row.id));
	const answers = Object.fromEntries(saved.map((r) => [r.itemId, r.value]));
	const gradings = await gradingsOf(row.id, db);
	const status = markingStatus(key, gradings);
	const mine = gradings.find((g) => g.graderId === actor.id && g.role === 'marker') ?? null;
	const myModeration =
		gradings.find((g) => g.graderId === actor.id && g.role === 'moderator') ?? null;
	const markerIds = gradings.filter((g) => g.role === 'marker').map((g) => g.graderId);
	const homeroom = await isHomeroomTeacher(actor, row, db);
	const allIn = status.markersSubmitted >= status.required;
	const canMark =
		row.state === 'submitted' && (mine !== null || markerIds.length < status.required);
	const canModerate =
		row.state === 'submitted' &&
		status.needsModeration &&
		!status.moderated &&
		(homeroom || !markerIds.includes(actor.id));
	const names = gradings.length
		? Object.fromEntries(
				(
					await db
						.select({ id: users.id, name: users.displayName })
						.from(users)
						.where(
							inArray(
								users.id,
								gradings.map((g) => g.graderId)
							)
						)
				).map((u) => [u.id, u.name])
			)
		: {};
	const show = (g: Grading) => ({
		graderName: names[g.graderId] ?? '',
		role: g.role,
		state: g.state,
		scores: g.scores,
		comments: g.comments,
		summary: g.summary,
		reason: g.reason,
		percent: g.percent,
		version: g.version
	});
	// Once every marker has submitted, everyone with access sees all submitted gradings side by
	// side (to compare, and to moderate); before that, nobody sees another marker's scores.
	const visibleOthers =
		allIn || row.state !== 'submitted' ? gradings.filter((g) => g.state === 'submitted') : [];
	return {
		id: row.id,
		state: row.state,
		attemptNo: row.attemptNo,
		submittedAt: row.submittedAt,
		trainee,
		title: paper.title,
		titleEn: paper.titleEn,
		rubric: key.rubric,
		weights: key.weights,
		passMark: key.passMark,
		doubleMarking: key.doubleMarking,
		moderationThreshold: key.moderationThreshold,
		status,
		canMark,
		canModerate,
		mine: mine ? show(mine) : null,
		myModeration: myModeration ? show(myModeration) : null,
		others: visibleOthers.map(show),
		otherMarkers: gradings
			.filter((g) => g.role === 'marker' && g.graderId !== actor.id)
			.map((g) => ({ state: g.state })),
		result: row.state === 'submitted' ? null : { percent: row.percent, passed: row.passed },
		cases: paper.cases.map((c) => {
			const k = key.cases[c.slug];
			const marks = answers[itemIdOf(c.slug, 'marks')];
			return {
				...c,
				title: k.title,
				titleEn: k.titleEn,
				referenceClassification: k.referenceClassification,
				referenceAnalysis: k.referenceAnalysis,
				annotations: k.annotations,
				answers: {
					classification:
						(answers[itemIdOf(c.slug, 'classification')] as string | undefined) ?? null,
					marks: Array.isArray(marks) ? marks : [],
					techniques: answers[itemIdOf(c.slug, 'techniques')] ?? null,
					should: (answers[itemIdOf(c.slug, 'should')] as string | undefined) ?? '',
					rewrites: answers[itemIdOf(c.slug, 'rewrites')] ?? []
				},
				match: matchCase(key, c.slug, marks),
				hits: phraseHits(c.slug)
			};
		})
	};
}

export type DraftInput = {
	scores: Record<string, unknown>;
	comments: unknown;
	summary: string;
	reason?: string;
	expectedVersion: number;
};

function cleanComments(raw: unknown): PinnedComment[] {
	if (!Array.isArray(raw)) return [];
	if (raw.length > 100) throw new RuleViolation('error_too_long', 'comments', { max: 100 });
	return raw
		.map((c, i) => {
			const o = (c ?? {}) as Record<string, unknown>;
			const text = String(o.text ?? '').trim();
			if (text.length > 1000) throw new RuleViolation('error_too_long', 'comment', { max: 1000 });
			const num = (v: unknown) =>
				typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) / 1000 : null;
			return {
				id: typeof o.id === 'string' && o.id.length <= 40 ? o.id : `c${i}`,
				caseSlug: typeof o.caseSlug === 'string' && o.caseSlug.length <= 80 ? o.caseSlug : null,
				at: num(o.at),
				line: Number.isInteger(o.line) ? (o.line as number) : null,
				itemId: typeof o.itemId === 'string' && o.itemId.length <= 80 ? o.itemId : null,
				text
			};
		})
		.filter((c) => c.text.length > 0);
}

async function lockOpenCase(
	actor: Actor,
	attemptId: string,
	tx: Executor,
	live = false
): Promise<Attempt> {
	const row = await gradeableCase(actor, attemptId, tx);
	await tx.execute(
		sql`select 1 from ${attempts} where ${attempts.id} = ${attemptId}::uuid for update`
	);
	const [fresh] = await tx.select().from(attempts).where(eq(attempts.id, attemptId));
	// An examiner-led mock call is scored live, while the call is still in progress (drafts only).
	const liveOk = live && fresh.state === 'in_progress' && fresh.kind !== 'case_analysis';
	if (fresh.state !== 'submitted' && !liveOk) throw new RuleViolation('grading_closed');
	return { ...row, ...fresh };
}

async function mayModerate(
	actor: Actor,
	row: Attempt,
	gradings: Grading[],
	tx: Executor
): Promise<boolean> {
	const status = markingStatus(caseKeyOf(row), gradings);
	if (!status.needsModeration || status.moderated) return false;
	const markerIds = gradings.filter((g) => g.role === 'marker').map((g) => g.graderId);
	return (await isHomeroomTeacher(actor, row, tx)) || !markerIds.includes(actor.id);
}

/** Saves a draft (autosave and the save button). Returns the new version. */
export async function saveCaseDraft(
	actor: Actor,
	attemptId: string,
	role: Role,
	input: DraftInput,
	ip: string | null
): Promise<{ version: number }> {
	if (input.summary.length > 4000)
		throw new RuleViolation('error_too_long', 'summary', { max: 4000 });
	if ((input.reason ?? '').length > 2000)
		throw new RuleViolation('error_too_long', 'reason', { max: 2000 });
	const comments = cleanComments(input.comments);
	return db.transaction(async (tx) => {
		const row = await lockOpenCase(actor, attemptId, tx, true);
		const key = caseKeyOf(row);
		const scores = cleanScores(key.rubric, input.scores);
		const gradings = await gradingsOf(attemptId, tx);
		const existing = gradings.find((g) => g.graderId === actor.id && g.role === role);
		if (!existing) {
			if (input.expectedVersion !== 0) throw new RuleViolation('ca_grading_conflict');
			if (role === 'marker') {
				const markers = gradings.filter((g) => g.role === 'marker').length;
				if (markers >= (key.doubleMarking ? 2 : 1)) throw new RuleViolation('ca_markers_full');
			} else if (!(await mayModerate(actor, row, gradings, tx)))
				throw new RuleViolation('ca_not_moderator');
			await tx.insert(caseGradings).values({
				attemptId,
				graderId: actor.id,
				role,
				rubricSlug: key.rubric.slug,
				rubricHash: key.rubric.hash,
				scores,
				comments,
				summary: input.summary,
				reason: role === 'moderator' ? (input.reason ?? '') : null,
				version: 1
			});
			await recordAudit(
				{
					actor,
					action: `case_grading.${role}.draft`,
					target: `attempt:${attemptId}`,
					ip,
					detail: { version: 1 }
				},
				tx
			);
			return { version: 1 };
		}
		if (existing.state === 'submitted') throw new RuleViolation('ca_grading_submitted');
		const updated = await tx
			.update(caseGradings)
			.set({
				scores,
				comments,
				summary: input.summary,
				reason: role === 'moderator' ? (input.reason ?? '') : null,
				version: sql`${caseGradings.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(and(eq(caseGradings.id, existing.id), eq(caseGradings.version, input.expectedVersion)))
			.returning({ version: caseGradings.version });
		if (!updated.length) throw new RuleViolation('ca_grading_conflict');
		await recordAudit(
			{
				actor,
				action: `case_grading.${role}.draft`,
				target: `attempt:${attemptId}`,
				ip,
				detail: { version: updated[0].version }
			},
			tx
		);
		return { version: updated[0].version };
	});
}

/** Submits the grader's draft (saved first with `input`). Settles the attempt when this was
 *  the last grading needed. */
export async function submitCaseGrading(
	actor: Actor,
	attemptId: string,
	role: Role,
	input: DraftInput,
	ip: string | null
) {
	const { version } = await saveCaseDraft(actor, attemptId, role, input, ip);
	return db.transaction(async (tx) => {
		const row = await lockOpenCase(actor, attemptId, tx);
		const key = caseKeyOf(row);
		const [g] = await tx
			.select()
			.from(caseGradings)
			.where(
				and(
					eq(caseGradings.attemptId, attemptId),
					eq(caseGradings.graderId, actor.id),
					eq(caseGradings.role, role)
				)
			);
		if (!g || g.version !== version) throw new RuleViolation('ca_grading_conflict');
		if (g.state === 'submitted') throw new RuleViolation('ca_grading_submitted');
		const result = scoreRubric(key.rubric, g.scores);
		if (result.percent === null)
			throw new RuleViolation('ca_rubric_incomplete', undefined, { count: result.missing.length });
		if (role === 'moderator' && !(g.reason ?? '').trim())
			throw new RuleViolation('ca_reason_required', 'reason');
		await tx
			.update(caseGradings)
			.set({
				state: 'submitted',
				percent: result.percent,
				submittedAt: sql`now()`,
				version: sql`${caseGradings.version} + 1`
			})
			.where(and(eq(caseGradings.id, g.id), eq(caseGradings.version, version)));
		await recordAudit(
			{
				actor,
				action: `case_grading.${role}.submit`,
				target: `attempt:${attemptId}`,
				ip,
				detail: { percent: result.percent, critical: result.criticalFailed }
			},
			tx
		);
		return settle(tx, row, actor.id);
	});
}

/** Finishes the attempt when the gradings allow: moderator's final, or the markers' mean. */
async function settle(
	tx: Executor,
	row: Attempt,
	graderId: string
): Promise<{ settled: boolean; needsModeration: boolean }> {
	const key = caseKeyOf(row);
	const gradings = (await gradingsOf(row.id, tx)).filter((g) => g.state === 'submitted');
	const status = markingStatus(key, gradings);
	const moderation = gradings.find((g) => g.role === 'moderator');
	let rubricPercent: number;
	let critical: boolean;
	if (moderation) {
		const r = scoreRubric(key.rubric, moderation.scores);
		rubricPercent = r.percent ?? 0;
		critical = r.criticalFailed.length > 0;
	} else {
		if (status.markersSubmitted < status.required || status.needsModeration)
			return { settled: false, needsModeration: status.needsModeration };
		const results = gradings
			.filter((g) => g.role === 'marker')
			.map((g) => scoreRubric(key.rubric, g.scores));
		rubricPercent =
			Math.round((results.reduce((n, r) => n + (r.percent ?? 0), 0) / results.length) * 10) / 10;
		critical = results.every((r) => r.criticalFailed.length > 0);
	}
	const items = { ...(row.itemScores ?? {}) };
	const classification =
		items.classification && items.classification.max
			? items.classification.points / items.classification.max
			: 0;
	const annotations = items.annotations?.points ?? 0;
	const percent = finalPercent(key, classification, annotations, rubricPercent);
	items.rubric = { points: rubricPercent, max: 100, correct: !critical };
	await tx.update(attempts).set({ itemScores: items }).where(eq(attempts.id, row.id));
	await finishGrading(
		tx,
		{ ...row, state: 'submitted' },
		percent,
		percent,
		100,
		percent >= key.passMark && !critical,
		graderId
	);
	return { settled: true, needsModeration: false };
}

/** Case analyses waiting on the actor: to mark, to moderate, or waiting for the other marker. */
export async function caseQueue(actor: Actor) {
	assertRole(actor, 'examiner', 'teacher');
	const rows = await db
		.select({
			id: attempts.id,
			key: attempts.key,
			enrollmentId: attempts.enrollmentId,
			submittedAt: attempts.submittedAt,
			traineeName: users.displayName
		})
		.from(attempts)
		.innerJoin(users, eq(users.id, attempts.userId))
		.where(
			and(eq(attempts.kind, 'case_analysis'), eq(attempts.state, 'submitted'), gradeableBy(actor))
		);
	const all = rows.length
		? await db
				.select()
				.from(caseGradings)
				.where(
					inArray(
						caseGradings.attemptId,
						rows.map((r) => r.id)
					)
				)
		: [];
	const out = [];
	for (const r of rows) {
		const gradings = all.filter((g) => g.attemptId === r.id);
		const status = markingStatus(caseKeyOf(r), gradings);
		const mine = gradings.find((g) => g.graderId === actor.id && g.role === 'marker');
		const moderate =
			status.needsModeration &&
			(await mayModerate(actor, { ...(r as unknown as Attempt) }, gradings, db));
		const task = moderate
			? 'moderate'
			: mine
				? mine.state === 'submitted'
					? 'waiting'
					: 'continue'
				: status.markersStarted < status.required
					? 'mark'
					: 'waiting';
		out.push({
			attemptId: r.id,
			traineeName: r.traineeName,
			submittedAt: r.submittedAt,
			task,
			status
		});
	}
	return out;
}

export type ExaminerCalibration = ReturnType<typeof calibrate> & {
	graderId: string;
	name: string;
	attempts: number;
	percentBias: number | null;
};

/** Per examiner: agreement with the reference grader of each double-marked attempt (the
 *  moderator when someone else moderated, otherwise the other marker). Teachers see their own
 *  cohorts' attempts, admins all. */
export async function calibrationReport(actor: Actor): Promise<ExaminerCalibration[]> {
	assertRole(actor, 'teacher', 'admin');
	const scope = hasRole(actor, 'admin')
		? sql`true`
		: sql`exists (select 1 from ${enrollments} e join ${cohorts} c on c.id = e.cohort_id where e.id = ${attempts.enrollmentId} and c.teacher_id = ${actor.id}::uuid)`;
	const rows = await db
		.select({ g: caseGradings })
		.from(caseGradings)
		.innerJoin(attempts, eq(attempts.id, caseGradings.attemptId))
		.where(and(eq(caseGradings.state, 'submitted'), eq(attempts.kind, 'case_analysis'), scope));
	const byAttempt = new Map<string, Grading[]>();
	for (const { g } of rows) byAttempt.set(g.attemptId, [...(byAttempt.get(g.attemptId) ?? []), g]);
	const pairs = new Map<string, { pairs: Pair[]; attempts: number; diffs: number[] }>();
	for (const gs of byAttempt.values()) {
		const markers = gs.filter((g) => g.role === 'marker');
		const moderator = gs.find((g) => g.role === 'moderator');
		for (const g of markers) {
			const reference =
				moderator && moderator.graderId !== g.graderId
					? moderator
					: markers.find((o) => o.graderId !== g.graderId);
			if (!reference) continue;
			const entry = pairs.get(g.graderId) ?? { pairs: [], attempts: 0, diffs: [] };
			entry.attempts++;
			for (const [itemId, level] of Object.entries(g.scores))
				if (reference.scores[itemId] !== undefined)
					entry.pairs.push({ grader: level, reference: reference.scores[itemId] });
			if (g.percent !== null && reference.percent !== null)
				entry.diffs.push(g.percent - reference.percent);
			pairs.set(g.graderId, entry);
		}
	}
	if (!pairs.size) return [];
	const names = Object.fromEntries(
		(
			await db
				.select({ id: users.id, name: users.displayName })
				.from(users)
				.where(inArray(users.id, [...pairs.keys()]))
		).map((u) => [u.id, u.name])
	);
	return [...pairs.entries()]
		.map(([graderId, e]) => ({
			graderId,
			name: names[graderId] ?? '',
			attempts: e.attempts,
			...calibrate(e.pairs),
			percentBias: e.diffs.length
				? Math.round((e.diffs.reduce((a, b) => a + b, 0) / e.diffs.length) * 10) / 10
				: null
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export { rubricItems };

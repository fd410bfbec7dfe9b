// Written-test attempts: start (snapshot), autosave (sequence-ordered), submit (idempotent),
// deadline handling, and what the trainee may see. Grading and release live in grading.ts.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { sessions } from '../auth/schema';
import { cohorts, enrollments } from '../cohorts/schema';
import { config } from '../config';
import { scoreCaseSubmission } from '../cases/auto-score';
import { scoreMockSubmission } from '../mock-calls/measures';
import {
	findCaseExam,
	findExam,
	findMockExam,
	getProgram,
	listCourses,
	stageOfExam
} from '../content/index';
import { Batcher } from '../db/batcher';
import { db, preparedOn, type Executor } from '../db/client';
import { recordDossierEvent } from '../dossier/events';
import { drawOrder, type ServedPaper } from '../exams/draw';
import type { QuestionItem } from '../exams/question-bank';
import { scorePaper } from '../exams/scoring';
import { fullKey, servedPaper, storedDraw, storeExamVersion } from '../exams/versions';
import { assertRole, RuleViolation } from '../errors';
import {
	completedLessonsOf,
	progressFromCompleted,
	summariseCourses,
	summariseStages
} from '../learning/progress';
import type { Actor } from '../people/roles';
import { userRoles, users } from '../people/schema';
import {
	acceptsAnswers,
	computeDeadline,
	GRACE_MS,
	nextAttemptState,
	type AttemptState
} from './lifecycle';
import { attempts, manualGrades, responses } from './schema';

export type Attempt = typeof attempts.$inferSelect;

/** Largest answer we store for one item: a long short answer is ~2,000 characters. */
const MAX_VALUE_BYTES = 16_000;

export type Availability = {
	examSlug: string;
	attemptsAllowed: number;
	attemptsUsed: number;
	openAttemptId: string | null;
	/** null when the trainee may start; otherwise the i18n code of the reason. */
	blocked:
		| null
		| 'exam_no_enrollment'
		| 'exam_wrong_stage'
		| 'exam_courses_unfinished'
		| 'exam_no_attempts_left'
		| 'exam_stage_closed';
	round: number;
};

export async function examAvailability(
	actor: Actor,
	examSlug: string,
	exec: Executor = db
): Promise<Availability> {
	const exam = findExam(examSlug);
	if (!exam) throw new RuleViolation('error_not_found');
	return availabilityOf(actor, examSlug, exam.definition.attemptsAllowed, exec);
}

/** Whether the trainee may start (or continue) an assessment of any kind: an open attempt
 *  continues; otherwise the active enrollment must be at the assessment's stage, still in
 *  training, with the stage's courses done and attempts left in this retrain round. */
export async function availabilityOf(
	actor: Actor,
	examSlug: string,
	attemptsAllowed: number,
	exec: Executor = db
): Promise<Availability> {
	return (await admission(actor, examSlug, attemptsAllowed, exec)).availability;
}

// The trainee's active enrollment with its cohort's last day, their attempts at this
// assessment (how many in the enrollment's retrain round, and the open one) and the lessons
// they have completed. One statement, planned once: a whole cohort starts within seconds.
const admissionRead = preparedOn((on) => {
	const ofThisExam = sql`a.user_id = ${enrollments.userId} and a.exam_slug = ${sql.placeholder('examSlug')}`;
	return (
		on
			.select({
				enrollment: enrollments,
				endsOn: cohorts.endsOn,
				used: sql<number>`(select count(*) from ${attempts} a
				where ${ofThisExam} and a.round = ${enrollments.retrains})`.mapWith(Number),
				// `offset 0` keeps the state test out of the scan (see sessionSaveStatement): the
				// person's own attempts at this exam, then the open one among them.
				openId: sql<string | null>`(select a.id from (select a.id, a.state from ${attempts} a
				where ${ofThisExam} offset 0) a where a.state = 'in_progress' limit 1)`,
				completedLessons: completedLessonsOf(enrollments.userId)
			})
			.from(enrollments)
			.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
			// `active` written out rather than compared with a parameter: PostgreSQL can then reuse one
			// plan (through the partial index of active enrollments) instead of planning every call.
			.where(and(eq(enrollments.userId, sql.placeholder('userId')), sql`${enrollments.active}`))
			.prepare('admission')
	);
});

/** availabilityOf plus what starting needs: the active enrollment and the end of its cohort's
 *  window, which caps every attempt's deadline (the end of the cohort's last day, China
 *  Standard Time, UTC+8). */
export async function admission(
	actor: Actor,
	examSlug: string,
	attemptsAllowed: number,
	exec: Executor = db
) {
	assertRole(actor, 'trainee');
	const placed = stageOfExam(examSlug);
	if (!placed) throw new RuleViolation('error_not_found');
	const [found] = await admissionRead(exec).execute({ userId: actor.id, examSlug });
	const enrollment = found?.enrollment ?? null;
	const windowEndsAt = found ? new Date(`${found.endsOn}T23:59:59+08:00`) : null;
	const round = enrollment?.retrains ?? 0;
	// Without an active enrollment only an attempt left open can go on.
	const mine = found ?? (await attemptsOutsideEnrollment(actor, examSlug, exec));
	const base = {
		examSlug,
		attemptsAllowed,
		attemptsUsed: mine.used,
		openAttemptId: mine.openId,
		round
	};
	const result = (blocked: Availability['blocked']) => ({
		availability: { ...base, blocked } satisfies Availability,
		enrollment,
		windowEndsAt
	});
	if (base.openAttemptId) return result(null);
	if (!enrollment) return result('exam_no_enrollment');
	if (enrollment.stageIndex !== placed.index) return result('exam_wrong_stage');
	if (!['not_started', 'in_training'].includes(enrollment.stageStatus))
		return result('exam_stage_closed');
	const stages = summariseStages(
		getProgram(),
		summariseCourses(listCourses(), progressFromCompleted(found?.completedLessons ?? null))
	);
	if (!stages[placed.index]?.ready) return result('exam_courses_unfinished');
	if (base.attemptsUsed >= attemptsAllowed) return result('exam_no_attempts_left');
	return result(null);
}

async function attemptsOutsideEnrollment(actor: Actor, examSlug: string, exec: Executor) {
	const [mine] = await exec
		.select({
			used: sql<number>`count(*) filter (where ${attempts.round} = 0)`.mapWith(Number),
			openId: sql<
				string | null
			>`(array_agg(${attempts.id}) filter (where ${attempts.state} = 'in_progress'))[1]`
		})
		.from(attempts)
		.where(and(eq(attempts.userId, actor.id), eq(attempts.examSlug, examSlug)));
	return { used: mine?.used ?? 0, openId: mine?.openId ?? null };
}

/** What a start answers: the attempt already open, or the one it just inserted. */
export type OpenedAttempt<D extends DrawnAttempt> =
	| { id: string; created: false }
	| { id: string; created: true; attemptNo: number; startedAt: Date; deadlineAt: Date; drawn: D };

/** What a start draws for one attempt, whatever its kind. */
export type DrawnAttempt = {
	kind: Attempt['kind'];
	contentHash: string;
	paper: unknown;
	key: unknown;
	itemIds: string[];
	/** Time allowed from the start, capped by the cohort's window. */
	minutes: number;
};

// Built once: a whole cohort starts within seconds. The paper and key columns are typed for
// written papers; case and mock attempts store their own shapes (kind in both) and are read
// back through their own accessors.
const insertAttempt = preparedOn((on) => {
	const p = (name: keyof typeof attempts.$inferInsert) => sql.placeholder(name);
	return on
		.insert(attempts)
		.values({
			userId: p('userId'),
			enrollmentId: p('enrollmentId'),
			examSlug: p('examSlug'),
			kind: p('kind'),
			stageSlug: p('stageSlug'),
			round: p('round'),
			attemptNo: p('attemptNo'),
			contentHash: p('contentHash'),
			paper: p('paper'),
			key: p('key'),
			itemIds: p('itemIds'),
			startedAt: p('startedAt'),
			deadlineAt: p('deadlineAt')
		})
		.returning({ id: attempts.id })
		.prepare('insert_attempt');
});

/** Starts an attempt of any kind, or returns the one already open (a double click starts one
 *  attempt): admission, then `draw` (which may still refuse), then one insert. Of two starts
 *  racing, the unique index lets one through and the other returns it. */
export async function openAttempt<D extends DrawnAttempt>(
	actor: Actor,
	examSlug: string,
	attemptsAllowed: number,
	draw: () => D
): Promise<OpenedAttempt<D>> {
	const { availability, enrollment, windowEndsAt } = await admission(
		actor,
		examSlug,
		attemptsAllowed
	);
	if (availability.openAttemptId) return { id: availability.openAttemptId, created: false };
	if (availability.blocked) throw new RuleViolation(availability.blocked);
	const drawn = draw();
	const startedAt = new Date();
	try {
		const attemptNo = availability.attemptsUsed + 1;
		const deadlineAt = computeDeadline(startedAt, drawn.minutes, windowEndsAt);
		const [row] = await insertAttempt().execute({
			userId: actor.id,
			enrollmentId: enrollment?.id ?? null,
			examSlug,
			kind: drawn.kind,
			stageSlug: stageOfExam(examSlug)!.stage.slug,
			round: availability.round,
			attemptNo,
			contentHash: drawn.contentHash,
			paper: drawn.paper,
			key: drawn.key,
			itemIds: drawn.itemIds,
			startedAt,
			deadlineAt
		});
		return { id: row.id, created: true, attemptNo, startedAt, deadlineAt, drawn };
	} catch (e) {
		const again = await availabilityOf(actor, examSlug, attemptsAllowed);
		if (again.openAttemptId) return { id: again.openAttemptId, created: false };
		throw e;
	}
}

/** Starts a written test (see openAttempt) and returns it as its taker sees it. A new attempt is
 *  made of what was just inserted, not read back: a whole cohort starts within seconds. */
export async function startAttempt(actor: Actor, examSlug: string): Promise<TakerAttempt> {
	const exam = findExam(examSlug);
	if (!exam) throw new RuleViolation('error_not_found');
	await storeExamVersion(exam);
	const started = await openAttempt(actor, examSlug, exam.definition.attemptsAllowed, () => {
		const { paper, key } = storedDraw(drawOrder(exam, crypto.randomUUID()), exam.hash);
		return {
			kind: 'written' as const,
			contentHash: exam.hash,
			paper,
			key,
			itemIds: Object.keys(key.items),
			minutes: exam.definition.timeLimitMinutes
		};
	});
	if (!started.created) return writtenAttemptForTaker(actor, started.id);
	return {
		id: started.id,
		kind: 'written',
		examSlug,
		state: 'in_progress',
		attemptNo: started.attemptNo,
		startedAt: started.startedAt,
		deadlineAt: started.deadlineAt,
		submittedAt: null,
		submitReason: null,
		paper: await servedPaper(started.drawn.paper),
		responses: {},
		serverNow: new Date()
	};
}

async function ownAttempt(actor: Actor, attemptId: string): Promise<Attempt> {
	assertRole(actor, 'trainee');
	const [row] = await db
		.select()
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.userId, actor.id)));
	// Someone else's attempt is "not found", not "forbidden": ids are not to be probed.
	if (!row) throw new RuleViolation('error_not_found');
	return row;
}

export type SavedResponse = { value: unknown; seq: number };

// The taker's page reads this on every open (a whole cohort within seconds): one statement,
// planned once, with everything but the key (large, and never shown to the taker).
const takerRead = preparedOn((on) =>
	on
		.select({
			id: attempts.id,
			kind: attempts.kind,
			examSlug: attempts.examSlug,
			state: attempts.state,
			attemptNo: attempts.attemptNo,
			startedAt: attempts.startedAt,
			deadlineAt: attempts.deadlineAt,
			submittedAt: attempts.submittedAt,
			submitReason: attempts.submitReason,
			paper: attempts.paper,
			responses: sql<Record<string, SavedResponse> | null>`(select
				json_object_agg(r.item_id, json_build_object('value', r.value, 'seq', r.seq))
				from ${responses} r where r.attempt_id = ${attempts.id})`
		})
		.from(attempts)
		.where(
			and(
				eq(attempts.id, sql.placeholder('attemptId')),
				eq(attempts.userId, sql.placeholder('ownerId'))
			)
		)
		.prepare('attempt_for_taker')
);

/** The attempt as its taker sees it: the served paper (no key), their answers, the deadline.
 *  An attempt past its deadline is submitted first, with what was saved. */
export async function attemptForTaker(actor: Actor, attemptId: string) {
	assertRole(actor, 'trainee');
	const read = async () => {
		const [r] = await takerRead().execute({ attemptId, ownerId: actor.id });
		if (!r) throw new RuleViolation('error_not_found');
		return r;
	};
	let row = await read();
	if (row.state === 'in_progress' && !acceptsAnswers(row.state, row.deadlineAt, new Date())) {
		await submitAttempt(row.id, 'deadline');
		row = await read();
	}
	return { ...row, responses: row.responses ?? {}, serverNow: new Date() };
}

/** A written attempt as its taker sees it (see writtenAttemptForTaker). */
export type TakerAttempt = Omit<Awaited<ReturnType<typeof attemptForTaker>>, 'paper'> & {
	paper: ServedPaper;
};

/** attemptForTaker for a written test, with the paper as served (the items' text included). */
export async function writtenAttemptForTaker(
	actor: Actor,
	attemptId: string
): Promise<TakerAttempt> {
	const a = await attemptForTaker(actor, attemptId);
	// Case analyses and mock calls have pages of their own.
	if (a.kind !== 'written') throw new RuleViolation('error_not_found');
	return { ...a, paper: await servedPaper(a.paper) };
}

export type SaveResult =
	| { status: 'saved'; seq: number; savedAt: Date }
	| { status: 'stale'; seq: number }
	| { status: 'closed' }
	| { status: 'invalid' };

// The checks and the write of saveResponse, planned once per connection.
const saveStatement = preparedOn((on) => {
	const p = (name: string) => sql.placeholder(name);
	return answerUpsert(
		on,
		sql`select ${p('attemptId')}::uuid, ${p('itemId')}::text, ${p('json')}::jsonb, ${p('seq')}::int, now()
			from ${attempts} a
			where a.id = ${p('attemptId')}::uuid and a.user_id = ${p('ownerId')}::uuid
				and a.state = 'in_progress' and ${p('itemId')}::text = any(a.item_ids)
				and now() <= a.deadline_at + make_interval(secs => ${GRACE_MS / 1000})`
	).prepare('save_response');
});

/** Writes the answer the query selects (attempt, item, value, sequence, time), unless the stored
 *  one has an equal or newer sequence number; returns what was written. */
function answerUpsert(on: Executor, selected: SQL) {
	return on
		.insert(responses)
		.select(selected)
		.onConflictDoUpdate({
			target: [responses.attemptId, responses.itemId],
			set: { value: sql`excluded.value`, seq: sql`excluded.seq`, savedAt: sql`now()` },
			setWhere: sql`${responses.seq} < excluded.seq`
		})
		.returning({
			attemptId: responses.attemptId,
			itemId: responses.itemId,
			seq: responses.seq,
			savedAt: responses.savedAt
		});
}

const NUL_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/** The answer as stored, or null when it is not one we accept (sequence, item id, size). */
function answerJson(itemId: string, value: unknown, seq: number): string | null {
	if (!Number.isInteger(seq) || seq < 1 || seq > 1_000_000_000) return null;
	if (typeof itemId !== 'string' || itemId.length > 100 || itemId.includes('\0')) return null;
	const json = JSON.stringify(value ?? null);
	// PostgreSQL cannot store U+0000 in text or jsonb (JSON.stringify writes it as \u0000).
	return json.length > MAX_VALUE_BYTES || NUL_ESCAPE.test(json) ? null : json;
}

/** Stores one answer if its sequence number is newer than the stored one. One statement does
 *  the checks (owner, open, before deadline + grace, item served) and the write, so an answer
 *  is acknowledged only once it is committed, and cheaply enough for a whole cohort at once. */
export async function saveResponse(
	actor: Actor,
	attemptId: string,
	itemId: string,
	value: unknown,
	seq: number
): Promise<SaveResult> {
	assertRole(actor, 'trainee');
	const json = answerJson(itemId, value, seq);
	if (json === null) return { status: 'invalid' };
	const rows = await saveStatement().execute({ attemptId, ownerId: actor.id, itemId, json, seq });
	if (rows.length) return { status: 'saved', seq: rows[0].seq, savedAt: rows[0].savedAt };
	// Nothing written: find out why (rare path).
	const [a] = await db
		.select({ state: attempts.state, deadlineAt: attempts.deadlineAt, itemIds: attempts.itemIds })
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.userId, actor.id)));
	if (!a || !a.itemIds.includes(itemId)) return { status: 'invalid' };
	if (!acceptsAnswers(a.state as AttemptState, a.deadlineAt, new Date()))
		return { status: 'closed' };
	const [stored] = await db
		.select({ seq: responses.seq })
		.from(responses)
		.where(and(eq(responses.attemptId, attemptId), eq(responses.itemId, itemId)));
	return { status: 'stale', seq: stored?.seq ?? 0 };
}

// saveStatement with the session check of validateSessionToken in it, for a batch of saves (see
// db/batcher.ts): each save's session must be live and need no renewal yet, of an active trainee
// who has no one-time password to change and who owns the attempt. One round trip and one commit
// for all the autosaves that arrived together, instead of two round trips for each.
// Every lookup is a lateral subquery with `offset 0`, so that each runs per save by its key: a
// plan for "about 100 saves" could otherwise join by scanning whole tables, and with statistics
// taken before a start burst ("no attempt is open") the attempt was once found by scanning every
// open attempt: 1,000–1,500 buffers a save instead of 22 once 2,000 attempts were open.
const sessionSaveStatement = preparedOn((on) => {
	const renewWithinSecs = config.session.idleMs / 2 / 1000;
	return answerUpsert(
		on,
		sql`select a.id, i.item_id, i.value, i.seq, now()
			from jsonb_to_recordset(${sql.placeholder('saves')}::jsonb)
				as i(session_id text, attempt_id uuid, item_id text, value jsonb, seq int)
			cross join lateral (select s.user_id from ${sessions} s
				where s.id = i.session_id
					and s.expires_at > now() + make_interval(secs => ${renewWithinSecs}) offset 0) s
			cross join lateral (select u.id from ${users} u
				where u.id = s.user_id and u.active and not u.must_change_password
					and exists (select 1 from ${userRoles} r where r.user_id = u.id and r.role = 'trainee')
				offset 0) u
			cross join lateral (select a.id, a.user_id, a.state, a.item_ids, a.deadline_at
				from ${attempts} a where a.id = i.attempt_id offset 0) a
			where a.user_id = u.id and a.state = 'in_progress' and i.item_id = any(a.item_ids)
				and now() <= a.deadline_at + make_interval(secs => ${GRACE_MS / 1000})
			-- rows locked in one order by every process: two batches cannot deadlock
			order by i.attempt_id, i.item_id`
	).prepare('save_responses_in_sessions');
});

type SessionSave = {
	sessionId: string;
	attemptId: string;
	itemId: string;
	json: string;
	seq: number;
};

/** Writes a batch of saves in one statement; null for each save it did not write. When the
 *  statement fails (the database is unreachable, a save it cannot store), every save of the
 *  batch takes the ordinary path, which answers for each on its own. */
async function writeSessionSaves(saves: SessionSave[]): Promise<(SaveResult | null)[]> {
	const input = `[${saves
		.map(
			(s) =>
				`{"session_id":${JSON.stringify(s.sessionId)},"attempt_id":${JSON.stringify(s.attemptId)},"item_id":${JSON.stringify(s.itemId)},"seq":${s.seq},"value":${s.json}}`
		)
		.join(',')}]`;
	let rows;
	try {
		rows = await sessionSaveStatement().execute({ saves: input });
	} catch (e) {
		console.warn(`a batch of ${saves.length} autosaves failed; saving one by one:`, e);
		return saves.map(() => null);
	}
	const written = new Map(rows.map((r) => [saveKey(r.attemptId, r.itemId), r]));
	return saves.map((s) => {
		const row = written.get(saveKey(s.attemptId, s.itemId));
		return row ? { status: 'saved', seq: row.seq, savedAt: row.savedAt } : null;
	});
}

// The row a save writes: the same uuid may be spelt in upper or lower case.
const saveKey = (attemptId: string, itemId: string) => `${attemptId.toLowerCase()} ${itemId}`;

const sessionSaves = new Batcher(writeSessionSaves, {
	key: (s) => saveKey(s.attemptId, s.itemId),
	maxBatch: 64,
	maxInFlight: config.autosaveStatements
});

/** saveResponse for whoever holds the session (its id, the hash of the cookie's token), checking
 *  the session within the write. null when nothing was written — no such session, one to renew,
 *  not a trainee's, not their attempt, closed, stale, invalid, its batch failed:
 *  the caller then checks the session the ordinary way and calls saveResponse, which writes or
 *  says why not. */
export async function saveResponseInSession(
	sessionId: string,
	attemptId: string,
	itemId: string,
	value: unknown,
	seq: number
): Promise<SaveResult | null> {
	const json = answerJson(itemId, value, seq);
	if (json === null) return null;
	return sessionSaves.submit({ sessionId, attemptId, itemId, json, seq });
}

/** The trainee submits their own attempt; true when this call submitted it (false: it was
 *  already submitted). Past the deadline (and grace) it counts as submitted by the clock. */
export async function submitMine(actor: Actor, attemptId: string): Promise<boolean> {
	assertRole(actor, 'trainee');
	const submitted = await closeAttempt(attemptId, 'trainee', actor.id);
	if (submitted) return true;
	const [row] = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.userId, actor.id)));
	if (!row) throw new RuleViolation('error_not_found');
	return false;
}

/** Submits for the trainee or for the clock ('deadline'). Idempotent: only the first of any
 *  number of concurrent submits changes the attempt. */
export function submitAttempt(attemptId: string, reason: 'trainee' | 'deadline'): Promise<boolean> {
	return closeAttempt(attemptId, reason, null);
}

/** The attempt row records who (its owner) submitted when and why (trainee or deadline): a
 *  trainee's own submission is not a staff write and stays off the audit chain's lock, which
 *  would otherwise serialise a whole cohort submitting at the deadline. A whole cohort submits
 *  within seconds, so this is three statements: close the attempt and read its key and answers,
 *  store the score (and the grade when nothing needs a person), write the dossier entry. */
async function closeAttempt(
	attemptId: string,
	reason: 'trainee' | 'deadline',
	owner: string | null
): Promise<boolean> {
	const graceSeconds = GRACE_MS / 1000;
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(attempts)
			.set({
				state: 'submitted',
				submittedAt: sql`now()`,
				submitReason:
					reason === 'deadline'
						? 'deadline'
						: sql`case when now() > ${attempts.deadlineAt} + make_interval(secs => ${graceSeconds}) then 'deadline' else 'trainee' end`
			})
			.where(
				and(
					eq(attempts.id, attemptId),
					eq(attempts.state, 'in_progress'),
					owner ? eq(attempts.userId, owner) : undefined
				)
			)
			.returning({
				id: attempts.id,
				userId: attempts.userId,
				enrollmentId: attempts.enrollmentId,
				examSlug: attempts.examSlug,
				kind: attempts.kind,
				attemptNo: attempts.attemptNo,
				key: attempts.key,
				answers: sql<Record<string, unknown> | null>`(select json_object_agg(r.item_id, r.value)
					from ${responses} r where r.attempt_id = ${attempts.id})`
			});
		if (!row) return false; // not open (someone else submitted first), or not the owner's
		const answers = row.answers ?? {};
		const score =
			row.kind === 'case_analysis'
				? scoreCaseSubmission(row.key, answers)
				: row.kind === 'written'
					? scorePaper(await fullKey(row.key), answers)
					: scoreMockSubmission(row.key, answers);
		if (score.pending === 0)
			await finishGrading(
				tx,
				{ ...row, state: 'submitted' },
				score.percent,
				score.points,
				score.max,
				score.passed ?? false,
				null,
				score.items
			);
		else
			await tx
				.update(attempts)
				.set({
					itemScores: score.items,
					score: score.points,
					maxScore: score.max,
					percent: score.percent
				})
				.where(eq(attempts.id, attemptId));
		return true;
	});
}

/** Called when the last item of an attempt is graded: graded, then released right away when
 *  the exam says so; the result goes into the dossier. */
export async function finishGrading(
	tx: Executor,
	row: Pick<Attempt, 'id' | 'userId' | 'enrollmentId' | 'examSlug' | 'state' | 'attemptNo'>,
	percent: number,
	points: number,
	max: number,
	passed: boolean,
	graderId: string | null,
	/** Item scores to store in the same update (the submission's automatic marking). */
	itemScores?: Attempt['itemScores']
): Promise<void> {
	const graded = nextAttemptState(row.state, { type: 'grading_complete' });
	if (!graded.ok) return;
	const exam = findExam(row.examSlug) ?? findCaseExam(row.examSlug) ?? findMockExam(row.examSlug);
	const immediate = exam?.definition.release === 'immediate';
	await tx
		.update(attempts)
		.set({
			state: immediate ? 'released' : 'graded',
			gradedAt: sql`now()`,
			releasedAt: immediate ? sql`now()` : null,
			score: points,
			maxScore: max,
			percent,
			passed,
			...(itemScores ? { itemScores } : {})
		})
		.where(eq(attempts.id, row.id));
	await recordDossierEvent(tx, {
		userId: row.userId,
		enrollmentId: row.enrollmentId,
		kind: 'assessment',
		at: new Date(),
		title: `${exam?.definition.title ?? row.examSlug}（第 ${row.attemptNo} 次）`,
		titleEn: `${exam?.definition.titleEn ?? row.examSlug} (attempt ${row.attemptNo})`,
		score: points,
		maxScore: max,
		passed,
		actorId: graderId,
		ref: { type: 'attempt', id: row.id },
		// Until results are released the trainee does not see them; staff and HR do.
		visibility: immediate ? 'all' : 'hr',
		detail: { examSlug: row.examSlug, percent, kind: exam?.definition.kind ?? 'written' }
	});
}

/** Submits every attempt whose time (plus grace) is up. Safe to run from several instances. */
export async function submitOverdueAttempts(now = new Date()): Promise<number> {
	const overdue = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(
			and(
				eq(attempts.state, 'in_progress'),
				sql`${attempts.deadlineAt} < ${new Date(now.getTime() - GRACE_MS).toISOString()}::timestamptz`
			)
		)
		.limit(500);
	let n = 0;
	for (const a of overdue) if (await submitAttempt(a.id, 'deadline')) n++;
	return n;
}

export type MyAttempt = Pick<
	Attempt,
	'id' | 'examSlug' | 'state' | 'attemptNo' | 'startedAt' | 'submittedAt'
> & {
	percent: number | null;
	passed: boolean | null;
};

/** The trainee's own attempts; scores only once released. */
export async function myAttempts(actor: Actor, examSlug?: string): Promise<MyAttempt[]> {
	assertRole(actor, 'trainee');
	const rows = await db
		.select({
			id: attempts.id,
			examSlug: attempts.examSlug,
			state: attempts.state,
			attemptNo: attempts.attemptNo,
			startedAt: attempts.startedAt,
			submittedAt: attempts.submittedAt,
			percent: attempts.percent,
			passed: attempts.passed
		})
		.from(attempts)
		.where(
			examSlug
				? and(eq(attempts.userId, actor.id), eq(attempts.examSlug, examSlug))
				: eq(attempts.userId, actor.id)
		)
		.orderBy(desc(attempts.startedAt));
	return rows.map((r) => (r.state === 'released' ? r : { ...r, percent: null, passed: null }));
}

/** After release: every item with the trainee's answer and score, and — as the exam's review
 *  settings allow — the correct answer and the explanation. Before release: nothing of it. */
export async function reviewAttempt(actor: Actor, attemptId: string) {
	const row = await ownAttempt(actor, attemptId);
	if (row.kind !== 'written') throw new RuleViolation('error_not_found');
	const key = await fullKey(row.key);
	if (row.state !== 'released') throw new RuleViolation('exam_not_released');
	const exam = findExam(row.examSlug);
	const review = exam?.definition.review ?? {
		showScore: true,
		showCorrect: false,
		showExplanation: false
	};
	const saved = await db.select().from(responses).where(eq(responses.attemptId, row.id));
	const grades = await db.select().from(manualGrades).where(eq(manualGrades.attemptId, row.id));
	const answers = Object.fromEntries(saved.map((r) => [r.itemId, r.value]));
	return {
		id: row.id,
		examSlug: row.examSlug,
		attemptNo: row.attemptNo,
		score: row.score,
		maxScore: row.maxScore,
		percent: row.percent,
		passed: row.passed,
		passMark: key.passMark,
		review,
		paper: await servedPaper(row.paper),
		items: Object.fromEntries(
			Object.entries(key.items).map(([id, entry]) => {
				const grade = grades.find((g) => g.itemId === id);
				return [
					id,
					{
						response: answers[id] ?? null,
						score: review.showScore ? (row.itemScores?.[id] ?? null) : null,
						correct: review.showCorrect ? correctAnswerText(entry.item) : null,
						explanation: review.showExplanation ? entry.item.explanation : null,
						comment: grade?.comment || null
					}
				];
			})
		)
	};
}

/** The right answer in words, for review (never before release). */
export function correctAnswerText(item: QuestionItem): string {
	switch (item.type) {
		case 'single':
			return item.options.find((o) => o.id === item.correct)?.text ?? '';
		case 'multiple':
			return item.options
				.filter((o) => item.correct.includes(o.id))
				.map((o) => o.text)
				.join('；');
		case 'truefalse':
			return item.answer ? '✓' : '✗';
		case 'fill':
			return item.blanks.map((b) => b.join(' / ')).join('；');
		case 'matching':
			return item.left
				.map((l) => `${l.text} → ${item.right.find((r) => r.id === item.pairs[l.id])?.text ?? ''}`)
				.join('；');
		case 'ordering':
			return item.steps.map((s, i) => `${i + 1}. ${s.text}`).join('  ');
		case 'short':
			return item.reference;
	}
}

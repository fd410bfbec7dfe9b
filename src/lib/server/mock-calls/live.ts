// The examiner's live console for an examiner-led mock call. The examiner plays the customer
// from the scenario script and scores the mock-call rubric while the call goes on; the trainee's
// browser records. What lives here:
// - the live queue: examiner-led calls in the examiner's cohorts that are still in progress;
// - the console: the scenario script (persona, beats with branches, what to listen for, expected
//   actions, what the agent must capture), the call's state and a timer taken from the server's
//   stamps (the first recording of the call starts it, the trainee's hang-up stops it), and the
//   examiner's own rubric draft;
// - the draft save: the case-grading engine's drafts with optimistic versions. Timestamped notes
//   are its pinned comments (caseSlug 'live', `at` = seconds into the call).
// After the call the same draft continues on the grading page (./grading.ts) with the recording.
import { and, eq, inArray } from 'drizzle-orm';
import { gradeableBy } from '../attempts/grading';
import { attempts, responses } from '../attempts/schema';
import { type DraftInput, markingStatus, saveCaseDraft } from '../cases/grading';
import { caseGradings } from '../cases/schema';
import { cohorts, enrollments } from '../cohorts/schema';
import { renderMarkdown } from '../content/markdown';
import { db } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { recordings } from '../recordings/schema';
import { mockKeyOf, mockPaperOf } from './attempts';
import type { CallEvents } from './measures';

/** Where an examiner-led call stands, as the examiner sees it. */
export type LivePhase = 'waiting' | 'on-call' | 'ended' | 'handed-in';

export type LiveCallState = {
	phase: LivePhase;
	/** Server time the call started (the trainee's first recording of the call). */
	startedAt: string | null;
	/** Server time the call ended (the trainee's hang-up, else the hand-in). */
	endedAt: string | null;
	serverNow: string;
	/** Recording segments so far (a closed tab continues in a new one) and bytes received. */
	segments: number;
	bytes: number;
};

type RecordingStamp = Pick<typeof recordings.$inferSelect, 'state' | 'startedAt' | 'bytes'>;

/** Pure: the call's phase and clock from the attempt, its recordings and the call events. */
export function liveCallState(
	attempt: { state: string; submittedAt: Date | null },
	recs: RecordingStamp[],
	events: CallEvents,
	now: Date = new Date()
): LiveCallState {
	const first = recs.reduce<Date | null>(
		(min, r) => (min === null || r.startedAt < min ? r.startedAt : min),
		null
	);
	const startedAt = first?.toISOString() ?? events.answer ?? null;
	const recording = recs.some((r) => r.state === 'recording');
	let phase: LivePhase;
	if (attempt.state !== 'in_progress') phase = 'handed-in';
	else if (recording) phase = 'on-call';
	else if (events.hangup) phase = 'ended';
	else if (startedAt) phase = 'on-call';
	else phase = 'waiting';
	const endedAt =
		phase === 'ended' || phase === 'handed-in'
			? (events.hangup ?? attempt.submittedAt?.toISOString() ?? null)
			: null;
	return {
		phase,
		startedAt,
		endedAt,
		serverNow: now.toISOString(),
		segments: recs.length,
		bytes: recs.reduce((n, r) => n + r.bytes, 0)
	};
}

/** Seconds into the call at `at` (null before the call started); stops at the end. */
export function callSeconds(state: Pick<LiveCallState, 'startedAt' | 'endedAt'>, at: Date) {
	if (!state.startedAt) return null;
	const end = state.endedAt ? Math.min(Date.parse(state.endedAt), at.getTime()) : at.getTime();
	return Math.max(0, Math.floor((end - Date.parse(state.startedAt)) / 1000));
}

const isExaminerLed = (row: Pick<typeof attempts.$inferSelect, 'paper'>) =>
	mockPaperOf(row).mode === 'examiner-led';

/** The attempt behind a live console: an examiner-led mock call of a trainee in one of the
 *  actor's cohorts (homeroom teacher or listed examiner). Anything else: not found. */
async function liveAttempt(actor: Actor, attemptId: string) {
	assertRole(actor, 'examiner', 'teacher');
	const [row] = await db
		.select()
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.kind, 'mock_call'), gradeableBy(actor)));
	if (!row || !isExaminerLed(row)) throw new RuleViolation('error_not_found');
	return row;
}

async function statesOf(rows: { id: string; state: string; submittedAt: Date | null }[]) {
	const ids = rows.map((r) => r.id);
	const recs = ids.length
		? await db
				.select({
					attemptId: recordings.attemptId,
					state: recordings.state,
					startedAt: recordings.startedAt,
					bytes: recordings.bytes
				})
				.from(recordings)
				.where(and(inArray(recordings.attemptId, ids), eq(recordings.callNo, 1)))
		: [];
	const events = ids.length
		? await db
				.select({ attemptId: responses.attemptId, value: responses.value })
				.from(responses)
				.where(and(inArray(responses.attemptId, ids), eq(responses.itemId, 'c1.events')))
		: [];
	const now = new Date();
	return new Map(
		rows.map((r) => [
			r.id,
			liveCallState(
				r,
				recs.filter((x) => x.attemptId === r.id),
				(events.find((e) => e.attemptId === r.id)?.value ?? {}) as CallEvents,
				now
			)
		])
	);
}

/** Examiner-led mock calls in progress in the actor's cohorts: waiting for the trainee to start,
 *  on the call, or ended but not yet handed in. Oldest first. */
export async function liveQueue(actor: Actor) {
	assertRole(actor, 'examiner', 'teacher');
	const rows = (
		await db
			.select({
				id: attempts.id,
				state: attempts.state,
				submittedAt: attempts.submittedAt,
				startedAt: attempts.startedAt,
				paper: attempts.paper,
				key: attempts.key,
				traineeName: users.displayName,
				employeeNo: users.employeeNo,
				cohortName: cohorts.name
			})
			.from(attempts)
			.innerJoin(users, eq(users.id, attempts.userId))
			.innerJoin(enrollments, eq(enrollments.id, attempts.enrollmentId))
			.innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
			.where(
				and(eq(attempts.kind, 'mock_call'), eq(attempts.state, 'in_progress'), gradeableBy(actor))
			)
			.orderBy(attempts.startedAt)
	).filter(isExaminerLed);
	const states = await statesOf(rows);
	const gradings = rows.length
		? await db
				.select({
					attemptId: caseGradings.attemptId,
					graderId: caseGradings.graderId,
					role: caseGradings.role
				})
				.from(caseGradings)
				.where(
					inArray(
						caseGradings.attemptId,
						rows.map((r) => r.id)
					)
				)
		: [];
	return rows.map((r) => {
		const call = mockKeyOf(r).calls['1'];
		const markers = gradings.filter((g) => g.attemptId === r.id && g.role === 'marker');
		return {
			attemptId: r.id,
			traineeName: r.traineeName,
			employeeNo: r.employeeNo,
			cohortName: r.cohortName,
			scenario: { title: call.title, titleEn: call.titleEn, callType: call.callType },
			openedAt: r.startedAt.toISOString(),
			call: states.get(r.id)!,
			mine: markers.some((g) => g.graderId === actor.id),
			/** Another examiner holds the marker's place: this one can watch but not score. */
			takenByOther:
				!markers.some((g) => g.graderId === actor.id) &&
				markers.length >= (mockKeyOf(r).doubleMarking ? 2 : 1)
		};
	});
}

/** The call's state alone (the console polls it). */
export async function liveStatus(actor: Actor, attemptId: string): Promise<LiveCallState> {
	const row = await liveAttempt(actor, attemptId);
	return (await statesOf([row])).get(row.id)!;
}

/** Everything the live console shows: the scenario script, the rubric, the call's state and
 *  the examiner's own draft. Staff only: the script holds the customer's lines and the key. */
export async function liveConsoleView(actor: Actor, attemptId: string) {
	const row = await liveAttempt(actor, attemptId);
	const paper = mockPaperOf(row);
	const key = mockKeyOf(row);
	const call = key.calls['1'];
	const [trainee] = await db
		.select({ id: users.id, displayName: users.displayName, employeeNo: users.employeeNo })
		.from(users)
		.where(eq(users.id, row.userId));
	const gradings = await db.select().from(caseGradings).where(eq(caseGradings.attemptId, row.id));
	const mine = gradings.find((g) => g.graderId === actor.id && g.role === 'marker') ?? null;
	const status = markingStatus(key, gradings);
	const open = row.state === 'in_progress' || row.state === 'submitted';
	const canMark = open && (mine ? mine.state === 'draft' : status.markersStarted < status.required);
	return {
		id: row.id,
		state: row.state,
		attemptNo: row.attemptNo,
		title: paper.title,
		titleEn: paper.titleEn,
		trainee,
		scenario: {
			title: call.title,
			titleEn: call.titleEn,
			summary: call.summary,
			summaryEn: call.summaryEn,
			difficulty: call.difficulty,
			callType: call.callType,
			persona: call.persona,
			customerInfo: call.customerInfo,
			mustCapture: call.mustCapture,
			expectedActions: call.expectedActions,
			beats: call.beats,
			defaultPath: paper.calls[0].beats,
			timeBudgetSeconds: paper.calls[0].timeBudgetSeconds,
			notesHtml: call.notes ? renderMarkdown(call.notes) : ''
		},
		rubric: key.rubric,
		call: (await statesOf([row])).get(row.id)!,
		canMark,
		mine: mine
			? {
					scores: mine.scores,
					comments: mine.comments,
					summary: mine.summary,
					version: mine.version,
					state: mine.state,
					savedAt: mine.updatedAt.toISOString()
				}
			: null
	};
}

/** Saves the examiner's rubric draft from the live console (scores, notes, summary), with the
 *  optimistic version of the grading engine: a save based on an old version is refused. */
export async function saveLiveDraft(
	actor: Actor,
	attemptId: string,
	input: DraftInput,
	ip: string | null
): Promise<{ version: number }> {
	await liveAttempt(actor, attemptId);
	return saveCaseDraft(actor, attemptId, 'marker', input, ip);
}

// Mock-call and mock go-live attempts: availability, start (draws scenarios, snapshots what the
// trainee is served and the key: scenario, reference ticket, rubric), the trainee's view (no
// key: no call type, no reference ticket, no customer lines as text, no rubric), call events
// stamped with the server's clock (offer / answer / hang-up / wrap-up), breaks, and submit.
// Saving the ticket form is the written-test autosave (../attempts/attempts.ts saveResponse).
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import {
	attemptForTaker,
	openAttempt,
	availabilityOf,
	submitAttempt,
	type Attempt,
	type Availability
} from '../attempts/attempts';
import { attempts, responses } from '../attempts/schema';
import { drawCases } from '../cases/attempts';
import type { Rubric } from '../cases/rubric';
import { findMockExam, getProgram, loadCatalog, stageOfExam } from '../content/index';
import { db, type Executor } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { defaultPath, type Scenario } from '../scenarios/scenario-schema';
import type { ScenarioEntry } from './content';
import type { MockExam, MockMode } from './definitions';
import type { CallEvents } from './measures';

export type MockKind = 'mock_call' | 'mock_golive';

export type MockPaperCall = {
	n: number;
	scenarioSlug: string;
	/** Beat ids of the default path, in order (their audio is served by id). */
	beats: string[];
	customerInfo: Scenario['customerInfo'];
	mustCapture: Scenario['mustCapture'];
	timeBudgetSeconds: number;
};
export type MockPaper = {
	kind: MockKind;
	title: string;
	titleEn: string;
	instructions: string;
	mode: MockMode;
	calls: MockPaperCall[];
	ring: { ringSeconds: number; maxRings: number } | null;
	breakMinutes: number;
	maxRecordingMinutes: number;
};
export type MockKeyCall = Pick<
	Scenario,
	| 'title'
	| 'titleEn'
	| 'callType'
	| 'persona'
	| 'customerInfo'
	| 'mustCapture'
	| 'expectedActions'
	| 'ticket'
	| 'beats'
	| 'summary'
	| 'summaryEn'
	| 'difficulty'
> & {
	scenarioSlug: string;
	notes: string;
};
export type MockKey = {
	kind: MockKind;
	passMark: number;
	/** In the case-grading engine's shape: `classification` carries the automatic measures. */
	weights: { classification: number; annotations: number; rubric: number };
	toleranceSeconds: number;
	doubleMarking: boolean;
	moderationThreshold: number;
	rubric: Rubric;
	ring: { ringSeconds: number; maxRings: number } | null;
	calls: Record<string, MockKeyCall>;
};

export const mockPaperOf = (row: Pick<Attempt, 'paper'>) => row.paper as unknown as MockPaper;
export const mockKeyOf = (row: Pick<Attempt, 'key'>) => row.key as unknown as MockKey;

export function requireMockExam(slug: string): {
	exam: MockExam;
	placed: NonNullable<ReturnType<typeof stageOfExam>>;
} {
	const exam = findMockExam(slug);
	const placed = stageOfExam(slug);
	if (!exam || !placed) throw new RuleViolation('error_not_found');
	return { exam, placed };
}

export function mockExamSlugs(): { slug: string; kind: MockKind }[] {
	return getProgram().stages.flatMap((s) =>
		s.assessments
			.filter((a) => a.kind === 'mock_call' || a.kind === 'mock_golive')
			.map((a) => ({ slug: a.exam, kind: a.kind as MockKind }))
	);
}

export type MockAvailability = Availability & {
	kind: MockKind;
	title: string;
	titleEn: string;
	modes: MockMode[];
};

export async function mockAvailability(
	actor: Actor,
	examSlug: string,
	exec: Executor = db
): Promise<MockAvailability> {
	const exam = findMockExam(examSlug);
	if (!exam) throw new RuleViolation('error_not_found');
	const availability = await availabilityOf(actor, examSlug, exam.definition.attemptsAllowed, exec);
	return {
		...availability,
		kind: exam.kind,
		title: exam.definition.title,
		titleEn: exam.definition.titleEn,
		modes: exam.kind === 'mock_call' ? exam.definition.modes : (['self-paced'] as MockMode[])
	};
}

/** Draws n scenarios with as many different call types as possible (a shift mixes them). */
export function drawMixed(
	pool: ScenarioEntry[],
	n: number,
	random: () => number = Math.random
): ScenarioEntry[] {
	const shuffled = drawCases(
		pool.map((s) => s.slug),
		pool.length,
		random
	).map((slug) => pool.find((s) => s.slug === slug)!);
	const picked: ScenarioEntry[] = [];
	const types = new Set<string>();
	for (const s of shuffled)
		if (picked.length < n && !types.has(s.callType)) {
			picked.push(s);
			types.add(s.callType);
		}
	for (const s of shuffled) if (picked.length < n && !picked.includes(s)) picked.push(s);
	return picked;
}

/** The rubric for a shift: the base rubric once per call (item ids prefixed c<n>-). */
export function shiftRubric(base: Rubric, calls: number): Rubric {
	if (calls === 1) return base;
	return {
		...base,
		sections: Array.from({ length: calls }, (_, i) => i + 1).flatMap((n) =>
			base.sections.map((s) => ({
				...s,
				id: `c${n}-${s.id}`,
				title: `第 ${n} 通 · ${s.title}`,
				titleEn: `Call ${n} · ${s.titleEn}`,
				items: s.items.map((it) => ({ ...it, id: `c${n}-${it.id}` }))
			}))
		)
	};
}

export function buildMockAttempt(
	exam: MockExam,
	scenarios: ScenarioEntry[],
	mode: MockMode
): { paper: MockPaper; key: MockKey; itemIds: string[] } {
	const base = loadCatalog().caseContent.rubrics.find((r) => r.slug === exam.definition.rubric)!;
	const golive = exam.kind === 'mock_golive';
	const ring = golive
		? { ringSeconds: exam.definition.ringSeconds, maxRings: exam.definition.maxRings }
		: null;
	const measuresWeight = golive ? exam.definition.weights.measures : 0;
	const paper: MockPaper = {
		kind: exam.kind,
		title: exam.definition.title,
		titleEn: exam.definition.titleEn,
		instructions: exam.instructions,
		mode,
		ring,
		breakMinutes: golive ? exam.definition.breakMinutes : 0,
		maxRecordingMinutes: exam.definition.maxRecordingMinutes,
		calls: scenarios.map((s, i) => ({
			n: i + 1,
			scenarioSlug: s.slug,
			beats: defaultPath(s.beats).path,
			customerInfo: s.customerInfo,
			mustCapture: s.mustCapture,
			timeBudgetSeconds: s.timeBudgetSeconds
		}))
	};
	const key: MockKey = {
		kind: exam.kind,
		passMark: exam.definition.passMark,
		weights: { classification: measuresWeight, annotations: 0, rubric: 100 - measuresWeight },
		toleranceSeconds: 0,
		doubleMarking: exam.definition.doubleMarking,
		moderationThreshold: exam.definition.moderationThreshold,
		rubric: shiftRubric(base, golive ? scenarios.length : 1),
		ring,
		calls: Object.fromEntries(
			scenarios.map((s, i) => [
				String(i + 1),
				{
					scenarioSlug: s.slug,
					title: s.title,
					titleEn: s.titleEn,
					summary: s.summary,
					summaryEn: s.summaryEn,
					difficulty: s.difficulty,
					callType: s.callType,
					persona: s.persona,
					customerInfo: s.customerInfo,
					mustCapture: s.mustCapture,
					expectedActions: s.expectedActions,
					ticket: s.ticket,
					beats: s.beats,
					notes: s.notes
				}
			])
		)
	};
	const itemIds = [
		...scenarios.flatMap((_, i) => [`c${i + 1}.ticket`, `c${i + 1}.events`]),
		'shift.breaks'
	];
	return { paper, key, itemIds };
}

export async function startMockAttempt(
	actor: Actor,
	examSlug: string,
	mode: MockMode,
	ip: string | null,
	random: () => number = Math.random
): Promise<string> {
	const { exam } = requireMockExam(examSlug);
	let drawn: ScenarioEntry[] = [];
	const started = await openAttempt(actor, examSlug, exam.definition.attemptsAllowed, () => {
		const modes = exam.kind === 'mock_call' ? exam.definition.modes : ['self-paced'];
		if (!modes.includes(mode)) throw new RuleViolation('mc_mode_not_allowed');
		const all = loadCatalog().mockContent.scenarios;
		const pool = exam.definition.pool.map((s) => all.find((x) => x.slug === s)!);
		const n = exam.kind === 'mock_call' ? exam.definition.draw : exam.definition.calls;
		drawn = drawMixed(pool, n, random);
		const { paper, key, itemIds } = buildMockAttempt(exam, drawn, mode);
		return {
			kind: exam.kind,
			contentHash: `${exam.hash}:${key.rubric.hash}:${drawn.map((s) => s.hash).join(',')}`,
			paper,
			key,
			itemIds,
			minutes:
				exam.kind === 'mock_golive'
					? exam.definition.shiftMinutes
					: exam.definition.maxRecordingMinutes + 10
		};
	});
	if (started.created)
		await recordAudit({
			actor,
			action: 'attempt.start',
			target: `attempt:${started.id}`,
			ip,
			detail: { examSlug, mode, scenarios: drawn.map((s) => s.slug) }
		});
	return started.id;
}

/** The trainee's page: the served paper (no key), saved tickets and events, recordings status. */
export async function mockTakingView(actor: Actor, attemptId: string) {
	const a = await attemptForTaker(actor, attemptId);
	const paper = a.paper as unknown as MockPaper;
	if (paper.kind !== 'mock_call' && paper.kind !== 'mock_golive')
		throw new RuleViolation('error_not_found');
	return {
		id: a.id,
		examSlug: a.examSlug,
		state: a.state,
		attemptNo: a.attemptNo,
		startedAt: a.startedAt.toISOString(),
		deadlineAt: a.deadlineAt.toISOString(),
		serverNow: a.serverNow.toISOString(),
		paper,
		responses: Object.fromEntries(
			Object.entries(a.responses).map(([id, r]) => [id, { value: r.value, seq: r.seq }])
		)
	};
}

export const CALL_EVENTS = ['offer', 'answer', 'hangup', 'wrapup'] as const;
export type CallEventType = (typeof CALL_EVENTS)[number];

async function ownOpenMock(actor: Actor, attemptId: string, exec: Executor): Promise<Attempt> {
	assertRole(actor, 'trainee');
	const [row] = await exec
		.select()
		.from(attempts)
		.where(
			and(
				eq(attempts.id, attemptId),
				eq(attempts.userId, actor.id),
				inArray(attempts.kind, ['mock_call', 'mock_golive'])
			)
		);
	if (!row) throw new RuleViolation('error_not_found');
	if (row.state !== 'in_progress') throw new RuleViolation('rec_closed');
	return row;
}

/** Stamps a call event with the server's clock; the first stamp of each event stands (a
 *  repeated request changes nothing), and events must come in order. */
export async function recordCallEvent(
	actor: Actor,
	attemptId: string,
	callNo: number,
	type: CallEventType
): Promise<CallEvents> {
	if (!CALL_EVENTS.includes(type)) throw new RuleViolation('error_not_found');
	return db.transaction(async (tx) => {
		const row = await ownOpenMock(actor, attemptId, tx);
		await tx.execute(
			sql`select 1 from ${attempts} where ${attempts.id} = ${attemptId}::uuid for update`
		);
		const itemId = `c${callNo}.events`;
		if (!row.itemIds.includes(itemId)) throw new RuleViolation('error_not_found');
		const [saved] = await tx
			.select()
			.from(responses)
			.where(and(eq(responses.attemptId, attemptId), eq(responses.itemId, itemId)));
		const events = { ...((saved?.value ?? {}) as CallEvents) };
		if (events[type]) return events;
		// A shift call is answered only after it rang (time to answer is measured server-side).
		if (type === 'answer' && mockPaperOf(row).ring !== null && !events.offer)
			throw new RuleViolation('mc_not_ringing');
		// Earlier steps missing (e.g. a mock call has no ringing): stamped now as well.
		const now = new Date().toISOString();
		for (const t of CALL_EVENTS.slice(0, CALL_EVENTS.indexOf(type) + 1))
			if (!events[t]) events[t] = now;
		await tx
			.insert(responses)
			.values({ attemptId, itemId, value: events, seq: (saved?.seq ?? 0) + 1 })
			.onConflictDoUpdate({
				target: [responses.attemptId, responses.itemId],
				set: { value: events, seq: sql`${responses.seq} + 1`, savedAt: sql`now()` }
			});
		return events;
	});
}

/** Starts or ends a break (between calls of a shift); returns the breaks so far. */
export async function toggleBreak(actor: Actor, attemptId: string, on: boolean) {
	return db.transaction(async (tx) => {
		const row = await ownOpenMock(actor, attemptId, tx);
		const paper = mockPaperOf(row);
		if (paper.kind !== 'mock_golive') throw new RuleViolation('error_not_found');
		await tx.execute(
			sql`select 1 from ${attempts} where ${attempts.id} = ${attemptId}::uuid for update`
		);
		const [saved] = await tx
			.select()
			.from(responses)
			.where(and(eq(responses.attemptId, attemptId), eq(responses.itemId, 'shift.breaks')));
		const breaks = [...((saved?.value ?? []) as { start: string; end: string | null }[])];
		const open = breaks.find((b) => !b.end);
		const now = new Date().toISOString();
		if (on && !open) breaks.push({ start: now, end: null });
		if (!on && open) open.end = now;
		await tx
			.insert(responses)
			.values({ attemptId, itemId: 'shift.breaks', value: breaks, seq: (saved?.seq ?? 0) + 1 })
			.onConflictDoUpdate({
				target: [responses.attemptId, responses.itemId],
				set: { value: breaks, seq: sql`${responses.seq} + 1`, savedAt: sql`now()` }
			});
		return breaks;
	});
}

/** Hands the mock call / shift in for grading. */
export async function submitMock(actor: Actor, attemptId: string) {
	const row = await ownOpenMock(actor, attemptId, db);
	await submitAttempt(row.id, 'trainee');
}

/** The trainee's own mock attempts, newest first; scores only once released. */
export async function myMockAttempts(actor: Actor) {
	assertRole(actor, 'trainee');
	const rows = await db
		.select({
			id: attempts.id,
			examSlug: attempts.examSlug,
			kind: attempts.kind,
			state: attempts.state,
			attemptNo: attempts.attemptNo,
			startedAt: attempts.startedAt,
			percent: attempts.percent,
			passed: attempts.passed
		})
		.from(attempts)
		.where(and(eq(attempts.userId, actor.id), inArray(attempts.kind, ['mock_call', 'mock_golive'])))
		.orderBy(desc(attempts.startedAt));
	return rows.map((r) => {
		const exam = findMockExam(r.examSlug);
		const titled = {
			...r,
			title: exam?.definition.title ?? r.examSlug,
			titleEn: exam?.definition.titleEn ?? r.examSlug
		};
		return r.state === 'released' ? titled : { ...titled, percent: null, passed: null };
	});
}

/** May this person hear this scenario's beat audio? Staff: yes. A trainee: only a scenario
 *  served in their own open mock attempt (scenarios are assessment material). */
export async function canHearScenario(actor: Actor, slug: string): Promise<boolean> {
	if (actor.roles.some((r) => r === 'examiner' || r === 'teacher' || r === 'admin')) return true;
	if (!actor.roles.includes('trainee')) return false;
	const open = await db
		.select({ paper: attempts.paper })
		.from(attempts)
		.where(
			and(
				eq(attempts.userId, actor.id),
				eq(attempts.state, 'in_progress'),
				inArray(attempts.kind, ['mock_call', 'mock_golive'])
			)
		);
	return open.some((a) =>
		(a.paper as unknown as MockPaper).calls.some((c) => c.scenarioSlug === slug)
	);
}

// Automatic measures of simulated calls and the KPIs of a mock go-live shift. Pure.
import type { CallType } from '../scenarios/scenario-schema';

export type CallEvents = { offer?: string; answer?: string; hangup?: string; wrapup?: string };
export type TicketValue = {
	classification: string;
	keyPoints: string;
	resolution: string;
	followUp: string;
	escalated: boolean;
	captures: Record<string, string>;
};
export type KeyCallForMeasures = { callType: CallType | string; mustCapture: { id: string }[] };

export type CallMeasures = {
	timeToAnswerS: number | null;
	rings: number | null;
	answeredInTime: boolean | null;
	talkS: number | null;
	wrapS: number | null;
	handleS: number | null;
	classification: string | null;
	classificationCorrect: boolean;
	captured: number;
	required: number;
	captureRate: number;
	escalationExpected: boolean;
	escalated: boolean;
	phraseHits: number | null;
};

const secondsBetween = (a?: string, b?: string) =>
	a && b ? Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 100) / 10) : null;

export function cleanTicket(raw: unknown): TicketValue {
	const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
	const str = (v: unknown, max = 2000) => (typeof v === 'string' ? v.slice(0, max) : '');
	const captures =
		o.captures && typeof o.captures === 'object' ? (o.captures as Record<string, unknown>) : {};
	return {
		classification: str(o.classification, 40),
		keyPoints: str(o.keyPoints),
		resolution: str(o.resolution),
		followUp: str(o.followUp),
		escalated: o.escalated === true,
		captures: Object.fromEntries(
			Object.entries(captures)
				.slice(0, 30)
				.map(([k, v]) => [k.slice(0, 40), str(v, 500)])
		)
	};
}

export function callMeasures(
	events: CallEvents,
	ticketRaw: unknown,
	key: KeyCallForMeasures,
	ring: { ringSeconds: number; maxRings: number } | null,
	phraseHits: number | null = null
): CallMeasures {
	const ticket = cleanTicket(ticketRaw);
	const timeToAnswerS = ring ? secondsBetween(events.offer, events.answer) : null;
	const rings =
		timeToAnswerS === null || !ring ? null : Math.floor(timeToAnswerS / ring.ringSeconds) + 1;
	const captured = key.mustCapture.filter(
		(c) => (ticket.captures[c.id] ?? '').trim().length > 0
	).length;
	const escalationExpected = key.callType === 'special-complaint';
	return {
		timeToAnswerS,
		rings,
		answeredInTime: rings === null || !ring ? null : rings <= ring.maxRings,
		talkS: secondsBetween(events.answer, events.hangup),
		wrapS: secondsBetween(events.hangup, events.wrapup),
		handleS: secondsBetween(events.answer, events.wrapup),
		classification: ticket.classification || null,
		classificationCorrect: ticket.classification === key.callType,
		captured,
		required: key.mustCapture.length,
		captureRate: key.mustCapture.length ? captured / key.mustCapture.length : 1,
		escalationExpected,
		escalated: ticket.escalated,
		phraseHits
	};
}

/** 0…1: answering in time, the classification and the required ticket fields, equally weighted,
 *  averaged over the calls (an escalation missed on a special complaint counts as a wrong class). */
export function measuresScore(calls: CallMeasures[]): number {
	if (!calls.length) return 0;
	const per = calls.map((c) => {
		const inTime = c.answeredInTime === null ? 1 : c.answeredInTime ? 1 : 0;
		const cls = c.classificationCorrect && (!c.escalationExpected || c.escalated) ? 1 : 0;
		return (inTime + cls + c.captureRate) / 3;
	});
	return Math.round((per.reduce((a, b) => a + b, 0) / per.length) * 1000) / 1000;
}

export type Trend = 'improving' | 'worsening' | 'steady' | null;

/** Least-squares slope of a series (null values skipped). */
function slope(values: (number | null)[]): number | null {
	const pts = values
		.map((v, i) => [i, v] as const)
		.filter((p): p is readonly [number, number] => p[1] !== null);
	if (pts.length < 2) return null;
	const mx = pts.reduce((n, p) => n + p[0], 0) / pts.length;
	const my = pts.reduce((n, p) => n + p[1], 0) / pts.length;
	const den = pts.reduce((n, p) => n + (p[0] - mx) ** 2, 0);
	return den === 0 ? 0 : pts.reduce((n, p) => n + (p[0] - mx) * (p[1] - my), 0) / den;
}

/** lowerIsBetter: time measures. `tolerance` is the slope per call treated as steady. */
function trendOf(values: (number | null)[], lowerIsBetter: boolean, tolerance: number): Trend {
	const s = slope(values);
	if (s === null) return null;
	if (Math.abs(s) <= tolerance) return 'steady';
	return s < 0 === lowerIsBetter ? 'improving' : 'worsening';
}

const mean = (xs: number[]) =>
	xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null;
const rate = (xs: boolean[]) =>
	xs.length ? Math.round((xs.filter(Boolean).length / xs.length) * 1000) / 10 : null;

export type ShiftKpis = {
	calls: number;
	answeredInTimeRate: number | null;
	avgTimeToAnswerS: number | null;
	avgTalkS: number | null;
	avgWrapS: number | null;
	avgHandleS: number | null;
	classificationAccuracy: number | null;
	captureRate: number | null;
	escalationsMissed: number;
	phraseHits: number | null;
	rubricPercents: (number | null)[];
	trends: { timeToAnswer: Trend; handle: Trend; capture: Trend; rubric: Trend };
};

/** The shift summary: KPIs across calls, with trends (first call to last). */
export function shiftKpis(
	calls: CallMeasures[],
	rubricPercents: (number | null)[] = []
): ShiftKpis {
	const nums = (f: (c: CallMeasures) => number | null) =>
		calls.map(f).filter((v): v is number => v !== null);
	const hits = nums((c) => c.phraseHits);
	return {
		calls: calls.length,
		answeredInTimeRate: rate(
			calls.map((c) => c.answeredInTime).filter((v): v is boolean => v !== null)
		),
		avgTimeToAnswerS: mean(nums((c) => c.timeToAnswerS)),
		avgTalkS: mean(nums((c) => c.talkS)),
		avgWrapS: mean(nums((c) => c.wrapS)),
		avgHandleS: mean(nums((c) => c.handleS)),
		classificationAccuracy: rate(calls.map((c) => c.classificationCorrect)),
		captureRate: calls.length
			? Math.round((calls.reduce((n, c) => n + c.captureRate, 0) / calls.length) * 1000) / 10
			: null,
		escalationsMissed: calls.filter((c) => c.escalationExpected && !c.escalated).length,
		phraseHits: hits.length ? hits.reduce((a, b) => a + b, 0) : null,
		rubricPercents,
		trends: {
			timeToAnswer: trendOf(
				calls.map((c) => c.timeToAnswerS),
				true,
				0.5
			),
			handle: trendOf(
				calls.map((c) => c.handleS),
				true,
				5
			),
			capture: trendOf(
				calls.map((c) => c.captureRate),
				false,
				0.05
			),
			rubric: trendOf(rubricPercents, false, 2)
		}
	};
}

/** What submitAttempt stores for a mock attempt: pending until the examiner's rubric grading. */
export function scoreMockSubmission(keyValue: unknown, answers: Record<string, unknown>) {
	const key = keyValue as {
		ring: { ringSeconds: number; maxRings: number } | null;
		calls: Record<string, KeyCallForMeasures>;
	};
	const measures = Object.entries(key.calls).map(([n, c]) =>
		callMeasures(
			(answers[`c${n}.events`] ?? {}) as CallEvents,
			answers[`c${n}.ticket`],
			c,
			key.ring
		)
	);
	const score = measuresScore(measures);
	return {
		items: {
			classification: { points: score, max: 1, correct: null },
			rubric: { points: 0, max: 100, correct: null }
		} as Record<string, { points: number; max: number; correct: boolean | null }>,
		points: 0,
		max: 100,
		percent: 0,
		pending: 1,
		passed: null as boolean | null
	};
}

// Mock-call scenarios: content/scenarios/<slug>/scenario.md, YAML frontmatter only (the optional
// markdown body holds examiner notes). An examiner plays the customer from it while scoring the
// mock-call rubric; in self-paced mode the trainee's browser plays the customer's lines along the
// default path; a mock go-live shift draws several of them as incoming calls with a ticket form.
import { z } from 'zod';
import { SKILLS } from '../../skills';
import { slug } from '../content/schema';
import { parseFrontmatter } from '../content/frontmatter';
import { CALL_TYPES, type CallType } from '../phrase-check/rules';

/** The five call types (one list for the phrase checker and the scenarios). */
export { CALL_TYPES, type CallType };

/** Standard inbound actions (来电受理标准动作), as observable moves in a call. */
export const INBOUND_ACTIONS = [
	'greeting',
	'verify-identity',
	'ask-surname',
	'use-surname',
	'listen-acknowledge',
	'restate-problem',
	'answer-accurately',
	'offer-alternative',
	'escalate-complaint-form',
	'caring-close',
	'thanks-goodbye',
	'wait-customer-hangup'
] as const;
/** Actions only an outbound callback has (电话回访标准动作). */
export const CALLBACK_ACTIONS = [
	'state-identity',
	'state-purpose',
	'apologise-disturbance'
] as const;
export const EXPECTED_ACTIONS = [...INBOUND_ACTIONS, ...CALLBACK_ACTIONS] as const;
export type ExpectedAction = (typeof EXPECTED_ACTIONS)[number];

/** From calm to furious: the order is the intensity the examiner should play. */
export const MOODS = [
	'calm',
	'friendly',
	'guarded',
	'worried',
	'impatient',
	'annoyed',
	'angry',
	'furious'
] as const;
export type Mood = (typeof MOODS)[number];

/** Hints for speech synthesis of the customer's lines. */
export const VOICE_PITCHES = ['low', 'medium', 'high'] as const;
export const VOICE_SPEEDS = ['slow', 'normal', 'fast'] as const;
export const VOICE_STYLES = ['calm', 'cheerful', 'hurried', 'anxious', 'angry', 'elderly'] as const;

/** Names the product facts in content/README.md allow on the agent's screen. */
export const PLANS = ['星享 59', '星享 99', '星享 139'] as const;
export const BROADBAND = ['星联宽带 300M', '星联宽带 1000M', '星享 139 含 300M'] as const;

/** The goto target that ends the call. */
export const END = 'end';

const text = z.string().trim().min(1);
const beatId = slug.refine((id) => id !== END, `"${END}" is reserved for the end of the call`);
const target = z.union([z.literal(END), slug]);
/** Month-day (MM-DD): the year is left out so a scenario never looks stale. */
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date is MM-DD');

const voiceSchema = z.strictObject({
	pitch: z.enum(VOICE_PITCHES),
	speed: z.enum(VOICE_SPEEDS),
	style: z.enum(VOICE_STYLES).optional()
});
export type Voice = z.infer<typeof voiceSchema>;

export const personaSchema = z.strictObject({
	name: text,
	gender: z.enum(['female', 'male']),
	age: z.int().min(16).max(99),
	mood: z.enum(MOODS),
	/** What the customer knows (and does not) before the call: the examiner plays from it. */
	knows: text,
	/** What the customer wants out of the call. */
	wants: text,
	voice: voiceSchema
});

export const customerInfoSchema = z.strictObject({
	/** Fictional, middle digits masked as on the agent's screen: 139****0731. */
	phone: z.string().regex(/^1\d{2}\*{4}\d{4}$/, 'a masked mobile number such as 139****0731'),
	holder: text,
	/** Last 4 digits of the holder's ID card, for checking identity verification. */
	idLast4: z.string().regex(/^\d{3}[\dX]$/, 'four digits (the last may be X)'),
	plan: z.enum(PLANS).nullable(),
	broadband: z.enum(BROADBAND).nullable(),
	camera: z.boolean().default(false),
	address: text.optional(),
	points: z.int().min(0),
	tickets: z.array(z.strictObject({ date: monthDay, type: text, summary: text })).default([]),
	notes: text.optional()
});

export const captureSchema = z.strictObject({ id: slug, label: text, labelEn: text });

export const ticketSchema = z.strictObject({
	classification: z.enum(CALL_TYPES),
	keyPoints: z.array(text).min(2),
	resolution: text,
	followUp: text
});

export const branchSchema = z.strictObject({ if: text, ifEn: text, goto: target });

export const beatSchema = z.strictObject({
	id: beatId,
	/** The customer's line, natural spoken Chinese; also the text spoken by the browser. */
	customer: text,
	/** What the examiner listens for in the agent's reply. */
	listenFor: text,
	branches: z.array(branchSchema).default([]),
	default: target
});
export type Beat = z.infer<typeof beatSchema>;

const scenarioObject = z.strictObject({
	title: text,
	titleEn: text,
	callType: z.enum(CALL_TYPES),
	difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
	skills: z.array(z.enum(SKILLS)).min(1),
	rubric: z.literal('mock-call'),
	timeBudgetSeconds: z.int().min(60).max(1800),
	summary: text,
	summaryEn: text,
	persona: personaSchema,
	customerInfo: customerInfoSchema,
	mustCapture: z.array(captureSchema).min(1),
	expectedActions: z.array(z.enum(EXPECTED_ACTIONS)).min(1),
	ticket: ticketSchema,
	beats: z.array(beatSchema).min(2)
});

function duplicates(values: readonly string[]): string[] {
	const seen = new Set<string>();
	return [...new Set(values.filter((v) => seen.has(v) || !seen.add(v)))];
}

/** The beats the customer says when the agent does everything as expected (self-paced mode). */
export function defaultPath(beats: readonly Pick<Beat, 'id' | 'default'>[]): {
	path: string[];
	problem?: string;
} {
	const byId = new Map(beats.map((b) => [b.id, b]));
	const path: string[] = [];
	let at = beats[0]?.id;
	while (at !== undefined && at !== END) {
		if (path.includes(at)) return { path, problem: `the default path loops back to "${at}"` };
		const beat = byId.get(at);
		if (!beat) return { path, problem: `the default path reaches an unknown beat "${at}"` };
		path.push(at);
		at = beat.default;
	}
	return { path };
}

/** Graph problems: unknown targets, a default path that never ends, unreachable beats. */
export function beatGraphProblems(beats: readonly Beat[]): string[] {
	const problems: string[] = [];
	const ids = new Set(beats.map((b) => b.id));
	for (const id of duplicates(beats.map((b) => b.id))) problems.push(`beat id "${id}" is repeated`);
	for (const beat of beats) {
		for (const to of [beat.default, ...beat.branches.map((b) => b.goto)])
			if (to !== END && !ids.has(to))
				problems.push(`beat "${beat.id}" goes to unknown beat "${to}"`);
	}
	if (problems.length) return problems;
	// From every beat, following defaults alone must end the call: a branch may lead anywhere,
	// but once the agent does as expected the call has to finish.
	for (const beat of beats) {
		const { problem } = defaultPath([beat, ...beats.filter((b) => b !== beat)]);
		if (problem) problems.push(`from beat "${beat.id}": ${problem}`);
	}
	const reached = new Set<string>();
	const stack = beats.length ? [beats[0].id] : [];
	while (stack.length) {
		const id = stack.pop()!;
		if (id === END || reached.has(id)) continue;
		reached.add(id);
		const beat = beats.find((b) => b.id === id)!;
		stack.push(beat.default, ...beat.branches.map((b) => b.goto));
	}
	for (const beat of beats)
		if (!reached.has(beat.id))
			problems.push(`beat "${beat.id}" cannot be reached from the first beat`);
	return problems;
}

export const scenarioSchema = scenarioObject.superRefine((s, ctx) => {
	const issue = (path: (string | number)[], message: string) =>
		ctx.addIssue({ code: 'custom', path, message });

	for (const problem of beatGraphProblems(s.beats)) issue(['beats'], problem);
	for (const id of duplicates(s.mustCapture.map((c) => c.id)))
		issue(['mustCapture'], `capture id "${id}" is repeated`);
	for (const id of duplicates(s.expectedActions))
		issue(['expectedActions'], `action "${id}" is listed twice`);

	if (s.ticket.classification !== s.callType)
		issue(
			['ticket', 'classification'],
			`the reference ticket is classified as the call type (${s.callType})`
		);

	const actions = new Set<string>(s.expectedActions);
	if (s.callType === 'outbound-callback') {
		for (const a of CALLBACK_ACTIONS)
			if (!actions.has(a)) issue(['expectedActions'], `an outbound callback expects "${a}"`);
		if (actions.has('greeting'))
			issue(
				['expectedActions'],
				'an outbound callback opens with state-identity, not the inbound greeting'
			);
	} else {
		if (!actions.has('greeting')) issue(['expectedActions'], 'an inbound call expects "greeting"');
		for (const a of CALLBACK_ACTIONS)
			if (actions.has(a)) issue(['expectedActions'], `"${a}" belongs to outbound callbacks`);
	}
	if (s.callType === 'special-complaint') {
		if (!actions.has('escalate-complaint-form'))
			issue(['expectedActions'], 'a special complaint expects "escalate-complaint-form"');
		const f = s.ticket.followUp;
		if (!f.includes('投诉处理单') || !/48\s*小时/.test(f) || !/回电|回访/.test(f))
			issue(
				['ticket', 'followUp'],
				'a special complaint follows up with the 投诉处理单, the 48 小时 answer and a callback'
			);
	}
});

export type Scenario = z.infer<typeof scenarioSchema>;

/**
 * Parses one scenario.md: the frontmatter validated (a problem throws a ContentError naming
 * `path:line: reason`), and the markdown body, the examiner's notes.
 */
export function parseScenario(source: string, path: string): { scenario: Scenario; notes: string } {
	const { data, body } = parseFrontmatter(source, path, scenarioSchema);
	return { scenario: data, notes: body.trim() };
}

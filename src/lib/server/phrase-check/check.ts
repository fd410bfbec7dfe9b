/**
 * The phrase checker: forbidden expressions in the agent's turns, and required actions the
 * agent did not take. Pure: turns and compiled rules in, hits out.
 *
 * Heuristics and limits (also in content/README.md, "Phrase checker rules"):
 * - Only agent turns are searched for forbidden expressions; the customer's words never count.
 * - Text inside the configured quote pairs (「…」, “…”) is masked first: an agent repeating the
 *   customer's words in quotes is not using them.
 * - Tone cannot be heard in text. A clause-final 吗 counts as interrogating unless its sentence
 *   carries a restating or caring marker (您是说 / 确认 / 请问 / 还有其他…); a sentence that also
 *   carries a reproach (没看 / 难道 / 不会…) counts anyway. A rising 哦 and a falling 啊 are
 *   both flagged whenever they end a clause after other words.
 * - A forbidden hit spans its whole turn (start/end of the cue); `index` locates the match.
 * - A missing required action spans its scope (e.g. the first agent turn for the greeting, the
 *   whole call for an unordered search); with an untimed transcript start/end are null.
 */
import type { CallType, ForbiddenRule, PhraseRules, RequiredActionRule, Severity } from './rules';
import type { Speaker, Transcript, Turn } from './vtt';

export interface PhraseHit {
	ruleId: string;
	kind: 'forbidden' | 'required-action';
	severity: Severity;
	/** Seconds: the turn with the hit, or the scope searched for a missing action. */
	start: number | null;
	end: number | null;
	/** The turn's text (forbidden) or the searched agent text (missing action). */
	text: string;
	/** The matched expression; empty for a missing action. */
	match: string;
	/** Offset of the match in `text`; -1 for a missing action. */
	index: number;
	/** Turn number of the hit; for a missing action the first turn of the scope (0 if none). */
	line: number;
	/** For a missing action: the parts that were not found. */
	missing: { zh: string; en: string }[];
	explanation: { zh: string; en: string };
}

export interface CheckOptions {
	/** Rules with `appliesTo` run only when the call type is known and listed. */
	callType?: CallType;
	/** Who hung up first, when known (a Transcript passed in carries it already). */
	hungUpFirst?: Speaker | null;
}

const CLAUSE_BOUNDARY = /[，。！？；、…—,.!?;~～\n]/u;
const SENTENCE_BOUNDARY = /[。！？!?\n]/u;
const HAN = /\p{Script=Han}/u;
/** Replacement for masked (quoted) characters: neither a boundary nor a Han character. */
const MASK = '\uFFFC';

const found = (re: RegExp, s: string) => s.search(re) !== -1;

/** Masks every character inside (and including) the configured quote pairs. */
export function maskQuoted(text: string, quotes: PhraseRules['quotes']): string {
	const chars = [...text];
	let close: string | null = null;
	for (let i = 0; i < chars.length; i++) {
		const c = chars[i];
		if (close !== null) {
			if (c === close) close = null;
			chars[i] = MASK.repeat(c.length);
			continue;
		}
		const pair = quotes.find(([open]) => open === c);
		if (pair) {
			close = pair[1];
			chars[i] = MASK.repeat(c.length);
		}
	}
	return chars.join('');
}

function clauseStart(text: string, index: number): number {
	let i = index;
	while (i > 0 && !CLAUSE_BOUNDARY.test(text[i - 1])) i--;
	return i;
}

function sentenceAround(text: string, index: number, length: number): string {
	let from = index;
	while (from > 0 && !SENTENCE_BOUNDARY.test(text[from - 1])) from--;
	let to = index + length;
	while (to < text.length && !SENTENCE_BOUNDARY.test(text[to])) to++;
	return text.slice(from, Math.min(to + 1, text.length));
}

function atPosition(rule: ForbiddenRule, text: string, index: number, length: number): boolean {
	if (rule.position === 'anywhere') return true;
	const after = text.slice(index + length).replace(/^\s+/, '');
	if (after !== '' && !CLAUSE_BOUNDARY.test(after[0])) return false;
	if (rule.position === 'clause-end') return true;
	return HAN.test(text.slice(clauseStart(text, index), index));
}

/** Forbidden-expression matches in one agent turn (masked text, original offsets). */
export function findForbidden(
	rule: ForbiddenRule,
	text: string,
	quotes: PhraseRules['quotes'] = []
): { match: string; index: number }[] {
	const masked = maskQuoted(text, quotes);
	const excepted = rule.exceptions.flatMap((re) =>
		[...masked.matchAll(re)].map((m) => [m.index, m.index + m[0].length] as const)
	);
	const out: { match: string; index: number }[] = [];
	for (const re of rule.patterns) {
		for (const m of masked.matchAll(re)) {
			const from = m.index;
			const to = from + m[0].length;
			if (m[0] === '') continue;
			if (excepted.some(([a, b]) => a <= from && to <= b)) continue;
			if (!atPosition(rule, masked, from, m[0].length)) continue;
			const sentence = sentenceAround(masked, from, m[0].length);
			if (
				rule.exemptWhenSentence.some((x) => found(x, sentence)) &&
				!rule.butNotWhenSentence.some((x) => found(x, sentence))
			) {
				continue;
			}
			if (out.some((h) => h.index < to && from < h.index + h.match.length)) continue;
			out.push({ match: text.slice(from, to), index: from });
		}
	}
	return out.sort((a, b) => a.index - b.index);
}

function applies(rule: { appliesTo: CallType[] | null }, callType: CallType | undefined): boolean {
	return rule.appliesTo === null || (callType !== undefined && rule.appliesTo.includes(callType));
}

function scopeTurns(rule: RequiredActionRule, agentTurns: Turn[]): Turn[] {
	if (!rule.scope || rule.scope.agentTurns === 'all') return agentTurns;
	return rule.scope.agentTurns === 'first'
		? agentTurns.slice(0, rule.scope.count)
		: agentTurns.slice(-rule.scope.count);
}

/** The groups of a phrase requirement that the turns do not satisfy. */
export function unmetGroups(
	rule: RequiredActionRule,
	turns: Turn[]
): RequiredActionRule['require'] {
	if (!rule.ordered) {
		return rule.require.filter((g) => !turns.some((t) => g.anyOf.some((re) => found(re, t.text))));
	}
	// Ordered: each group must be found after the previous group's match.
	let turnAt = 0;
	let offset = 0;
	for (let gi = 0; gi < rule.require.length; gi++) {
		const g = rule.require[gi];
		let next: { turn: number; offset: number } | null = null;
		for (let ti = turnAt; ti < turns.length && next === null; ti++) {
			let best = Infinity;
			for (const re of g.anyOf) {
				for (const m of turns[ti].text.matchAll(re)) {
					if ((ti > turnAt || m.index >= offset) && m.index < best) best = m.index;
				}
			}
			if (best !== Infinity) next = { turn: ti, offset: best + 1 };
		}
		if (next === null) return rule.require.slice(gi);
		turnAt = next.turn;
		offset = next.offset;
	}
	return [];
}

function span(turns: Turn[]): { start: number | null; end: number | null } {
	if (turns.length === 0) return { start: null, end: null };
	return { start: turns[0].start, end: turns[turns.length - 1].end };
}

/**
 * Checks a transcript against the rules: every forbidden expression in an agent turn, then every
 * applicable required action that is missing. Sorted by start time (then turn, then rule order).
 */
export function checkTranscript(
	input: Turn[] | Transcript,
	rules: PhraseRules,
	options: CheckOptions = {}
): PhraseHit[] {
	const turns = Array.isArray(input) ? input : input.turns;
	const hungUpFirst =
		options.hungUpFirst !== undefined
			? options.hungUpFirst
			: Array.isArray(input)
				? null
				: input.hungUpFirst;
	const agentTurns = turns.filter((t) => t.speaker === 'agent');
	const hits: PhraseHit[] = [];

	for (const rule of rules.rules) {
		if (!applies(rule, options.callType)) continue;
		if (rule.kind === 'forbidden') {
			for (const turn of agentTurns) {
				for (const m of findForbidden(rule, turn.text, rules.quotes)) {
					hits.push({
						ruleId: rule.id,
						kind: 'forbidden',
						severity: rule.severity,
						start: turn.start,
						end: turn.end,
						text: turn.text,
						match: m.match,
						index: m.index,
						line: turn.line,
						missing: [],
						explanation: rule.explanation
					});
				}
			}
			continue;
		}

		if (rule.event === 'customer-hangs-up-first') {
			if (hungUpFirst !== 'agent') continue; // unknown or the customer: nothing to report
			const last = turns[turns.length - 1];
			hits.push({
				ruleId: rule.id,
				kind: 'required-action',
				severity: rule.severity,
				start: last?.end ?? null,
				end: last?.end ?? null,
				text: '',
				match: '',
				index: -1,
				line: last?.line ?? 0,
				missing: [rule.title],
				explanation: rule.explanation
			});
			continue;
		}

		const scoped = scopeTurns(rule, agentTurns);
		const unmet = unmetGroups(rule, scoped);
		if (unmet.length === 0) continue;
		hits.push({
			ruleId: rule.id,
			kind: 'required-action',
			severity: rule.severity,
			...span(scoped),
			text: scoped.map((t) => t.text).join('\n'),
			match: '',
			index: -1,
			line: scoped[0]?.line ?? 0,
			missing: unmet.map((g) => g.label),
			explanation: rule.explanation
		});
	}

	const order = new Map(rules.rules.map((r, i) => [r.id, i]));
	return hits
		.map((h, i) => ({ h, i }))
		.sort(
			(a, b) =>
				(a.h.start ?? 0) - (b.h.start ?? 0) ||
				a.h.line - b.h.line ||
				(order.get(a.h.ruleId) ?? 0) - (order.get(b.h.ruleId) ?? 0) ||
				a.h.index - b.h.index ||
				a.i - b.i
		)
		.map(({ h }) => h);
}

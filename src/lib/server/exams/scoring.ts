/**
 * Scoring written-test responses. Pure. Responses come from the browser, so every function
 * accepts anything and treats a response of the wrong shape as unanswered (0 points).
 *
 * Response shapes, by item type (ids are the served ids, see draw.ts):
 * - single:    option id (string)
 * - multiple:  option ids (string[])
 * - truefalse: boolean
 * - fill:      one string per blank (string[]; a plain string is accepted for one blank)
 * - matching:  { [leftId]: rightId }
 * - ordering:  step ids in the order the trainee put them (string[])
 * - short:     the answer text (string), graded later with gradeShortAnswer
 */
import type { MultipleChoiceScoring } from './exam-schema';
import type { PaperKey } from './draw';
import { round2, type FillNormalization, type QuestionItem, type ShortItem } from './question-bank';

export type ItemResponse = string | boolean | string[] | Record<string, string> | null;

export interface ItemScore {
	points: number;
	max: number;
	/** true: full marks; false: anything less; null: waiting for an examiner (short answers). */
	correct: boolean | null;
}

export interface ScoreOptions {
	/** What the item is worth; defaults to 1 (a short item: the sum of its marking points). */
	points?: number;
	/** How multiple-choice items earn partial credit; defaults to `partial`. */
	multipleChoiceScoring?: MultipleChoiceScoring;
}

/** Default value of an item when no section says otherwise. */
export function defaultPoints(item: QuestionItem): number {
	return item.type === 'short' ? item.markingPoints.reduce((s, m) => s + m.points, 0) : 1;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const stringList = (v: unknown): string[] | null =>
	Array.isArray(v) && v.every(isString) ? v : null;

/** Fraction of `max`, rounded to 0.01 and kept within [0, max]. */
function share(fraction: number, max: number): number {
	if (!Number.isFinite(fraction)) return 0;
	return Math.min(max, Math.max(0, round2(fraction * max)));
}

/**
 * Scores one response.
 * - single / truefalse: all or nothing.
 * - multiple, `partial`: (correct picked − wrong picked) / correct count × points, floored at 0;
 *   `all-or-nothing`: points only for exactly the correct set.
 * - fill: each blank is worth an equal share; an answer counts when, normalised as the item says,
 *   it equals one of the blank's accepted answers.
 * - matching: each left entry paired with its right entry earns an equal share.
 * - ordering: each step in its correct position earns an equal share.
 * - short: 0 points and `correct: null` until an examiner grades it (gradeShortAnswer).
 */
export function scoreResponse(
	item: QuestionItem,
	response: unknown,
	options: ScoreOptions = {}
): ItemScore {
	const max = options.points ?? defaultPoints(item);
	const result = (fraction: number): ItemScore => {
		const points = share(fraction, max);
		return { points, max, correct: points === max };
	};

	switch (item.type) {
		case 'single':
			return result(response === item.correct ? 1 : 0);
		case 'truefalse': {
			const value = response === 'true' ? true : response === 'false' ? false : response;
			return result(value === item.answer ? 1 : 0);
		}
		case 'multiple': {
			const picked = new Set(stringList(response) ?? []);
			const correct = new Set(item.correct);
			let right = 0;
			let wrong = 0;
			for (const id of picked) {
				if (correct.has(id)) right++;
				else wrong++;
			}
			const exact = right === correct.size && wrong === 0;
			if ((options.multipleChoiceScoring ?? 'partial') === 'all-or-nothing') {
				return result(exact ? 1 : 0);
			}
			const score = result(exact ? 1 : Math.max(0, (right - wrong) / correct.size));
			return { ...score, correct: exact };
		}
		case 'fill': {
			const given = isString(response) ? [response] : (stringList(response) ?? []);
			let right = 0;
			item.blanks.forEach((accepted, i) => {
				const answer = given[i];
				if (!isString(answer)) return;
				const a = normalizeFillAnswer(answer, item.normalize);
				if (a && accepted.some((x) => normalizeFillAnswer(x, item.normalize) === a)) right++;
			});
			return result(right / item.blanks.length);
		}
		case 'matching': {
			const given =
				response && typeof response === 'object' && !Array.isArray(response)
					? (response as Record<string, unknown>)
					: {};
			const right = item.left.filter((l) => given[l.id] === item.pairs[l.id]).length;
			return result(right / item.left.length);
		}
		case 'ordering': {
			const given = stringList(response) ?? [];
			const right = item.steps.filter((s, i) => given[i] === s.id).length;
			return result(right / item.steps.length);
		}
		case 'short':
			return { points: 0, max, correct: null };
	}
}

/**
 * An examiner's grade for a short answer: `awarded` maps marking-point id → points given
 * (each clamped to 0…that point's value). The rubric total is scaled to `points` when the
 * section values the item differently from the sum of its marking points.
 */
export function gradeShortAnswer(
	item: ShortItem,
	awarded: Record<string, number>,
	points: number = defaultPoints(item)
): ItemScore {
	const total = item.markingPoints.reduce((s, m) => s + m.points, 0);
	let got = 0;
	for (const m of item.markingPoints) {
		const v = awarded[m.id];
		if (typeof v === 'number' && Number.isFinite(v)) got += Math.min(m.points, Math.max(0, v));
	}
	const value = share(got / total, points);
	return { points: value, max: points, correct: value === points };
}

// ---------------------------------------------------------------------------------------------
// Fill normalisation

const PUNCTUATION: Record<string, string> = {
	'。': '.',
	'、': ',',
	'“': '"',
	'”': '"',
	'‘': "'",
	'’': "'",
	'《': '<',
	'》': '>',
	'【': '[',
	'】': ']',
	'〔': '[',
	'〕': ']',
	'—': '-',
	'–': '-',
	'…': '...',
	'\u3000': ' '
};

/** Full-width ASCII forms (Ａ１，：％) and common CJK punctuation to their half-width forms. */
export function toHalfWidth(text: string): string {
	return text.replace(/[\uFF01-\uFF5E\u3000。、“”‘’《》【】〔〕—–…]/g, (ch) => {
		const code = ch.charCodeAt(0);
		if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
		return PUNCTUATION[ch] ?? ch;
	});
}

export function normalizeFillAnswer(text: string, how: FillNormalization): string {
	let t = text.normalize('NFC');
	if (how.width) t = toHalfWidth(t);
	t = how.spaces ? t.replace(/\s+/g, '') : t.trim().replace(/\s+/g, ' ');
	if (how.case) t = t.toLowerCase();
	return t;
}

// ---------------------------------------------------------------------------------------------
// A whole paper

export interface PaperScore {
	items: Record<string, ItemScore>;
	points: number;
	max: number;
	percent: number;
	/** Short answers not yet graded. */
	pending: number;
	/** null while anything is pending. */
	passed: boolean | null;
}

/**
 * Scores every item of a drawn paper. `responses` by item id; `manual` holds examiners'
 * marking-point grades for short answers, by item id.
 */
export function scorePaper(
	key: PaperKey,
	responses: Record<string, unknown>,
	manual: Record<string, Record<string, number>> = {}
): PaperScore {
	const items: Record<string, ItemScore> = {};
	let points = 0;
	let max = 0;
	let pending = 0;
	for (const [id, entry] of Object.entries(key.items)) {
		const grade = manual[id];
		const score =
			entry.item.type === 'short' && grade
				? gradeShortAnswer(entry.item, grade, entry.points)
				: scoreResponse(entry.item, responses[id], {
						points: entry.points,
						multipleChoiceScoring: key.multipleChoiceScoring
					});
		if (score.correct === null) pending++;
		items[id] = score;
		points += score.points;
		max += score.max;
	}
	points = round2(points);
	max = round2(max);
	const percent = max > 0 ? round2((points / max) * 100) : 0;
	return {
		items,
		points,
		max,
		percent,
		pending,
		passed: pending > 0 ? null : percent >= key.passMark
	};
}

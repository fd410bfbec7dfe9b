// The parts of a case analysis the machine scores at submit: classification and time marks.
// Pure: the attempt's key and the saved answers in, scores out (the rubric part stays pending
// until the examiners finish). Shapes of the served paper and the key live here too.
import type { Rubric } from './rubric';
import { matchAnnotations, type Mark, type MatchResult, type Reference } from './matching';

export const QUESTIONING_TECHNIQUES = [
	'targeted',
	'choice',
	'verification',
	'opinion',
	'caring'
] as const;

export type PaperTurn = {
	line: number;
	speaker: 'agent' | 'customer';
	text: string;
	start: number;
	end: number;
};
export type PaperCase = {
	slug: string;
	number: number;
	prompts: string[];
	duration: number;
	turns: PaperTurn[];
};
export type CasePaper = {
	kind: 'case_analysis';
	title: string;
	titleEn: string;
	instructions: string;
	rewriteLines: number;
	cases: PaperCase[];
};
export type KeyCase = {
	title: string;
	titleEn: string;
	callType: string;
	referenceClassification: string;
	referenceAnalysis: string;
	hungUpFirst: 'agent' | 'customer' | null;
	annotations: (Reference & { to?: number | undefined; rule?: string | undefined; note: string })[];
};
export type CaseKey = {
	kind: 'case_analysis';
	passMark: number;
	weights: { classification: number; annotations: number; rubric: number };
	toleranceSeconds: number;
	doubleMarking: boolean;
	moderationThreshold: number;
	rubric: Rubric;
	cases: Record<string, KeyCase>;
};

export const TASKS = ['classification', 'marks', 'techniques', 'should', 'rewrites'] as const;
export type Task = (typeof TASKS)[number];
export const itemIdOf = (slug: string, task: Task) => `${slug}.${task}`;

export type TechniquesAnswer = { picked: string[]; text: string };
export type RewriteAnswer = { line: number | null; text: string }[];

/** Saved values are whatever the browser sent: keep only well-formed marks. */
export function cleanMarks(value: unknown): Mark[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter(
			(m): m is Mark =>
				!!m &&
				typeof m === 'object' &&
				Number.isFinite((m as Mark).at) &&
				typeof (m as Mark).category === 'string'
		)
		.slice(0, 100)
		.map((m) => ({
			at: Math.max(0, Number(m.at)),
			category: m.category,
			line: Number.isInteger(m.line) ? m.line : null,
			note: typeof m.note === 'string' ? m.note.slice(0, 500) : ''
		}));
}

export function matchCase(key: CaseKey, slug: string, value: unknown): MatchResult {
	return matchAnnotations(
		cleanMarks(value),
		key.cases[slug]?.annotations ?? [],
		key.toleranceSeconds
	);
}

export type ItemScores = Record<string, { points: number; max: number; correct: boolean | null }>;

/** Classification share (0–1), mean F1 of the marks (0–1), and the pending rubric part. */
export function autoScore(key: CaseKey, answers: Record<string, unknown>) {
	const slugs = Object.keys(key.cases);
	const right = slugs.filter(
		(s) => answers[itemIdOf(s, 'classification')] === key.cases[s].referenceClassification
	).length;
	const f1 = slugs.length
		? slugs.reduce((n, s) => n + matchCase(key, s, answers[itemIdOf(s, 'marks')]).f1, 0) /
			slugs.length
		: 0;
	const classification = slugs.length ? right / slugs.length : 0;
	const items: ItemScores = {
		classification: { points: right, max: slugs.length, correct: right === slugs.length },
		annotations: { points: Math.round(f1 * 1000) / 1000, max: 1, correct: f1 >= 0.5 },
		rubric: { points: 0, max: 100, correct: null }
	};
	return { classification, annotations: f1, items };
}

/** The final percent once the rubric percent is settled. */
export function finalPercent(
	key: CaseKey,
	classification: number,
	annotations: number,
	rubricPercent: number
): number {
	const w = key.weights;
	return (
		Math.round(
			(w.classification * classification +
				w.annotations * annotations +
				(w.rubric * rubricPercent) / 100) *
				10
		) / 10
	);
}

/** What submitAttempt stores for a case-analysis attempt (same shape as a written paper's score). */
export function scoreCaseSubmission(keyValue: unknown, answers: Record<string, unknown>) {
	const key = keyValue as CaseKey;
	const { items } = autoScore(key, answers);
	return { items, points: 0, max: 100, percent: 0, pending: 1, passed: null as boolean | null };
}

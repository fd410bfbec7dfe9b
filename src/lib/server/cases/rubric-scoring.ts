// Scoring a rubric: pure. Each item is scored 5, 3 or 1; an item's share is level / 5, weighted
// by its weight; the percent is Σ weight × level / 5 over Σ weight × 100. A critical item
// scored 1 fails the whole assessment whatever the percent.
import { LEVELS, rubricItems, type Level, type Rubric } from './rubric';

export type RubricScores = Record<string, Level>;

export type RubricResult = {
	/** Weighted percent, rounded to 0.1; null while items are missing. */
	percent: number | null;
	missing: string[];
	/** Critical items scored at the lowest level. */
	criticalFailed: string[];
	points: number;
	max: number;
};

export const isLevel = (v: unknown): v is Level => (LEVELS as readonly unknown[]).includes(v);

export function scoreRubric(
	rubric: Pick<Rubric, 'sections'>,
	scores: Record<string, unknown>
): RubricResult {
	let points = 0;
	let max = 0;
	const missing: string[] = [];
	const criticalFailed: string[] = [];
	for (const item of rubricItems(rubric)) {
		max += item.weight * 5;
		const level = scores[item.id];
		if (!isLevel(level)) {
			missing.push(item.id);
			continue;
		}
		points += item.weight * level;
		if (item.critical && level === 1) criticalFailed.push(item.id);
	}
	const round1 = (x: number) => Math.round(x * 10) / 10;
	return {
		percent: missing.length ? null : round1((points / max) * 100),
		missing,
		criticalFailed,
		points,
		max
	};
}

/** Keeps only known items with valid levels: what a grader may store. */
export function cleanScores(
	rubric: Pick<Rubric, 'sections'>,
	raw: Record<string, unknown>
): RubricScores {
	const out: RubricScores = {};
	for (const item of rubricItems(rubric)) {
		const v = Number(raw[item.id]);
		if (isLevel(v)) out[item.id] = v;
	}
	return out;
}

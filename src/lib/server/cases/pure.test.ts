import { describe, expect, it } from 'vitest';
import { ContentError } from '../content/frontmatter';
import { calibrate, weightedKappa } from './calibration';
import { examKindOf } from './case-exam';
import { matchAnnotations } from './matching';
import { parseRubric, type Rubric } from './rubric';
import { scoreRubric } from './rubric-scoring';

const rubric: Pick<Rubric, 'sections'> = {
	sections: [
		{
			id: 's',
			title: 'S',
			titleEn: 'S',
			items: [
				{
					id: 'a',
					title: 'A',
					titleEn: 'A',
					weight: 2,
					critical: false,
					skills: ['etiquette'],
					lessons: [],
					levels: { 5: 'x', 3: 'y', 1: 'z' }
				},
				{
					id: 'b',
					title: 'B',
					titleEn: 'B',
					weight: 1,
					critical: true,
					skills: ['etiquette'],
					lessons: [],
					levels: { 5: 'x', 3: 'y', 1: 'z' }
				}
			]
		}
	]
};

describe('rubric scoring', () => {
	it('weights items and reports missing ones', () => {
		expect(scoreRubric(rubric, { a: 5, b: 5 })).toMatchObject({
			percent: 100,
			criticalFailed: [],
			missing: []
		});
		// (2×3 + 1×5) / (3×5) = 11/15
		expect(scoreRubric(rubric, { a: 3, b: 5 }).percent).toBe(73.3);
		expect(scoreRubric(rubric, { a: 3 })).toMatchObject({ percent: null, missing: ['b'] });
		expect(scoreRubric(rubric, { a: 4, b: 5 }).missing).toEqual(['a']);
	});
	it('a critical item at the lowest level fails whatever the percent', () => {
		const r = scoreRubric(rubric, { a: 5, b: 1 });
		expect(r.percent).toBe(73.3);
		expect(r.criticalFailed).toEqual(['b']);
	});
});

describe('rubric files', () => {
	const good = `---\ntitle: T\ntitleEn: T\nsummary: S\nsummaryEn: S\nsections:\n  - id: one\n    title: 一\n    titleEn: One\n    items:\n      - id: voice\n        title: 声音\n        titleEn: Voice\n        weight: 1\n        skills: [volume]\n        lessons: [phone-etiquette/polite-vocabulary]\n        levels:\n          5: 好\n          3: 中\n          1: 差\n---\n`;
	it('parses a valid rubric', () => {
		const r = parseRubric(good, 'rubrics/x.md', 'x', 'h');
		expect(r.sections[0].items[0]).toMatchObject({ id: 'voice', critical: false, weight: 1 });
	});
	it('reports path and line of a problem', () => {
		const bad = good.replace('weight: 1', 'weight: -1');
		expect(() => parseRubric(bad, 'rubrics/x.md', 'x', 'h')).toThrow(
			/rubrics\/x\.md:\d+: .*weight/
		);
		const noLevel = good.replace('          1: 差\n', '');
		expect(() => parseRubric(noLevel, 'rubrics/x.md', 'x', 'h')).toThrow(ContentError);
		const dup = good.replace('id: voice', 'id: one');
		expect(() => parseRubric(dup, 'rubrics/x.md', 'x', 'h')).toThrow(
			'rubrics/x.md:11: id "one" is used twice'
		);
		expect(() => parseRubric(good, 'rubrics/x.md', 'x', 'h', () => false)).toThrow(
			/lesson "phone-etiquette\/polite-vocabulary" does not exist/
		);
	});
	it('dispatches exam files on kind', () => {
		expect(examKindOf('---\ntitle: x\nkind: case_analysis\n---\n')).toBe('case_analysis');
		expect(examKindOf("---\nkind: 'written'   # comment\n---\n")).toBe('written');
		expect(examKindOf('no frontmatter')).toBeNull();
	});
});

describe('annotation matching', () => {
	const refs = [
		{ start: 10, end: 15, category: 'arguing', line: 3 },
		{ start: 10, end: 15, category: 'forbidden-expression', line: 3 },
		{ start: 40, end: 42, category: 'incomplete-close', line: 9 }
	];
	it('matches by category within the span widened by the tolerance', () => {
		const r = matchAnnotations(
			[
				{ at: 12, category: 'arguing' }, // inside
				{ at: 17.5, category: 'forbidden-expression' }, // 2.5 s after the end: within 3 s
				{ at: 30, category: 'incomplete-close' }, // too early
				{ at: 12, category: 'no-empathy' } // wrong category
			],
			refs,
			3
		);
		expect(r.matched).toEqual([
			{ mark: 0, reference: 0 },
			{ mark: 1, reference: 1 }
		]);
		expect(r.precision).toBe(0.5);
		expect(r.recall).toBe(0.667);
		expect(r.extraMarks).toEqual([2, 3]);
		expect(r.missedReferences).toEqual([2]);
	});
	it('counts a reference once however many marks hit it', () => {
		const r = matchAnnotations(
			[
				{ at: 11, category: 'arguing' },
				{ at: 12, category: 'arguing' }
			],
			refs,
			3
		);
		expect(r.matched).toHaveLength(1);
		expect(r.precision).toBe(0.5);
	});
	it('handles no marks and no references', () => {
		expect(matchAnnotations([], refs, 3)).toMatchObject({ precision: null, recall: 0, f1: 0 });
		expect(matchAnnotations([], [], 3)).toMatchObject({ precision: null, recall: null });
	});
});

describe('agreement figures', () => {
	it('computes quadratic weighted kappa', () => {
		// Checked by hand: observed weighted disagreement 1.5 vs expected 3.5 → 1 − 1.5/3.5.
		const pairs = [
			[0, 0],
			[1, 1],
			[2, 1],
			[0, 1],
			[2, 2],
			[1, 0]
		].map(([a, b]) => ({ a, b }));
		expect(weightedKappa(pairs)).toBeCloseTo(0.571, 3);
		expect(
			weightedKappa([
				{ a: 0, b: 0 },
				{ a: 2, b: 2 },
				{ a: 1, b: 1 }
			])
		).toBe(1);
		expect(
			weightedKappa([
				{ a: 0, b: 2 },
				{ a: 2, b: 0 }
			])
		).toBeLessThan(0);
		// Both graders always chose the same single level: kappa is undefined.
		expect(
			weightedKappa([
				{ a: 1, b: 1 },
				{ a: 1, b: 1 }
			])
		).toBeNull();
		expect(weightedKappa([])).toBeNull();
	});
	it('reports exact and adjacent agreement and bias in levels', () => {
		const c = calibrate([
			{ grader: 5, reference: 5 },
			{ grader: 5, reference: 3 },
			{ grader: 3, reference: 1 },
			{ grader: 5, reference: 1 }
		]);
		expect(c).toMatchObject({ items: 4, exact: 0.25, adjacent: 0.75, bias: 1 });
		expect(calibrate([])).toMatchObject({ items: 0, kappa: null });
	});
});

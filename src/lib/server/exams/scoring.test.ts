import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ALL_TYPES, FRONT, PATH } from './fixtures';
import { parseExamFile, type QuestionItem } from './question-bank';
import {
	gradeShortAnswer,
	normalizeFillAnswer,
	scorePaper,
	scoreResponse,
	toHalfWidth
} from './scoring';
import { drawExam } from './draw';

const { items } = parseExamFile(FRONT + ALL_TYPES, PATH);

function item<T extends QuestionItem['type']>(type: T): Extract<QuestionItem, { type: T }> {
	const found = items.find((i) => i.type === type);
	if (!found) throw new Error(type);
	return found as Extract<QuestionItem, { type: T }>;
}

describe('scoreResponse', () => {
	it('single: all or nothing', () => {
		const q = item('single');
		const wrong = q.options.find((o) => o.id !== q.correct)?.id;
		expect(scoreResponse(q, q.correct, { points: 2 })).toEqual({
			points: 2,
			max: 2,
			correct: true
		});
		expect(scoreResponse(q, wrong, { points: 2 })).toEqual({ points: 0, max: 2, correct: false });
		expect(scoreResponse(q, null, { points: 2 })).toEqual({ points: 0, max: 2, correct: false });
		expect(scoreResponse(q, q.correct)).toEqual({ points: 1, max: 1, correct: true });
	});

	it('multiple, partial: (correct picked − wrong picked) / correct count, floored at 0', () => {
		const q = item('multiple'); // two correct of three
		const [c1, c2] = q.correct;
		const wrong = q.options.find((o) => !q.correct.includes(o.id))?.id ?? '';
		const score = (r: string[]) => scoreResponse(q, r, { points: 3 });
		expect(score([c1, c2])).toEqual({ points: 3, max: 3, correct: true });
		expect(score([c1])).toEqual({ points: 1.5, max: 3, correct: false });
		expect(score([c1, wrong])).toEqual({ points: 0, max: 3, correct: false });
		expect(score([c1, c2, wrong])).toEqual({ points: 1.5, max: 3, correct: false });
		expect(score([wrong])).toEqual({ points: 0, max: 3, correct: false });
		expect(score([c1, c1])).toEqual({ points: 1.5, max: 3, correct: false });
	});

	it('multiple, all-or-nothing', () => {
		const q = item('multiple');
		const opts = { points: 3, multipleChoiceScoring: 'all-or-nothing' } as const;
		expect(scoreResponse(q, q.correct, opts).points).toBe(3);
		expect(scoreResponse(q, [q.correct[0]], opts).points).toBe(0);
	});

	it('truefalse accepts booleans and "true"/"false"', () => {
		const q = item('truefalse'); // answer: false
		expect(scoreResponse(q, false).correct).toBe(true);
		expect(scoreResponse(q, 'false').correct).toBe(true);
		expect(scoreResponse(q, true).correct).toBe(false);
		expect(scoreResponse(q, undefined).points).toBe(0);
	});

	it('fill: equal share per blank, any accepted answer', () => {
		const q = item('fill'); // = 94 | 九十四, = 89
		expect(scoreResponse(q, ['94', '89'], { points: 2 })).toEqual({
			points: 2,
			max: 2,
			correct: true
		});
		expect(scoreResponse(q, ['九十四', '88'], { points: 2 })).toEqual({
			points: 1,
			max: 2,
			correct: false
		});
		expect(scoreResponse(q, ['', ''], { points: 2 }).points).toBe(0);
		expect(scoreResponse(q, ['９４', ' 8 9 '], { points: 2 }).points).toBe(2);
	});

	it('matching: equal share per correct pair', () => {
		const q = item('matching'); // three pairs plus a distractor
		const all = { ...q.pairs };
		expect(scoreResponse(q, all, { points: 3 })).toEqual({ points: 3, max: 3, correct: true });
		const [a, b] = q.left.map((l) => l.id);
		const swapped = { ...all, [a]: all[b], [b]: all[a] };
		expect(scoreResponse(q, swapped, { points: 3 })).toEqual({ points: 1, max: 3, correct: false });
		expect(scoreResponse(q, ['not', 'an', 'object'], { points: 3 }).points).toBe(0);
	});

	it('ordering: equal share per step in its correct position', () => {
		const q = item('ordering'); // five steps
		const ids = q.steps.map((s) => s.id);
		expect(scoreResponse(q, ids, { points: 5 })).toEqual({ points: 5, max: 5, correct: true });
		const twoSwapped = [ids[1], ids[0], ids[2], ids[3], ids[4]];
		expect(scoreResponse(q, twoSwapped, { points: 5 })).toEqual({
			points: 3,
			max: 5,
			correct: false
		});
		expect(scoreResponse(q, [...ids].reverse(), { points: 5 }).points).toBe(1); // middle stays
	});

	it('short: pending until graded; graded per marking point, scaled to the section points', () => {
		const q = item('short'); // marking points 2 + 2 + 1
		expect(scoreResponse(q, '保持冷静……')).toEqual({ points: 0, max: 5, correct: null });
		expect(scoreResponse(q, 'x', { points: 10 })).toEqual({ points: 0, max: 10, correct: null });
		expect(gradeShortAnswer(q, { m1: 2, m2: 1 })).toEqual({ points: 3, max: 5, correct: false });
		expect(gradeShortAnswer(q, { m1: 2, m2: 2, m3: 1 }, 10)).toEqual({
			points: 10,
			max: 10,
			correct: true
		});
		expect(gradeShortAnswer(q, { m1: 99, m2: -5, nope: 3 })).toEqual({
			points: 2,
			max: 5,
			correct: false
		});
	});
});

describe('fill normalisation', () => {
	const all = { width: true, spaces: true, case: true };
	it('maps full-width forms and CJK punctuation to half-width', () => {
		expect(toHalfWidth('ＡＢＣ１２３，：；？！（）％')).toBe('ABC123,:;?!()%');
		expect(toHalfWidth('“您”。、【】《》')).toBe('"您".,[]<>');
		expect(toHalfWidth('四　百')).toBe('四 百');
	});
	it('ignores spaces and case when asked', () => {
		expect(normalizeFillAnswer(' 400－820－6655 ', all)).toBe('400-820-6655');
		expect(normalizeFillAnswer('不 知 道', all)).toBe('不知道');
		expect(normalizeFillAnswer('GB', all)).toBe('gb');
		expect(normalizeFillAnswer('您好，星联通信', all)).toBe(
			normalizeFillAnswer('您好,星联通信', all)
		);
	});
	it('keeps what is not asked for', () => {
		const none = { width: false, spaces: false, case: false };
		expect(normalizeFillAnswer('  Ａ  b ', none)).toBe('Ａ b');
		expect(normalizeFillAnswer('，', none)).not.toBe(normalizeFillAnswer(',', none));
	});
	it('applies the item setting when scoring', () => {
		const body = ALL_TYPES.replace(
			'## s-fill · fill · d2\ntags: service-concepts\n',
			'## s-fill · fill · d2\ntags: service-concepts\nnormalize: none\n'
		);
		const strict = parseExamFile(FRONT + body, PATH).items.find((i) => i.id === 's-fill');
		if (!strict) throw new Error();
		expect(scoreResponse(strict, ['９４', '89']).points).toBe(0.5);
		expect(scoreResponse(item('fill'), ['９４', '89']).points).toBe(1);
	});
});

describe('scorePaper', () => {
	it('sums a drawn paper, counts pending short answers, decides pass when graded', () => {
		const front = FRONT.replace(
			'sections:\n  - title: 全部\n    draw: 1\n    points: 2',
			'sections:\n  - { title: 客观题, draw: 6, types: [single, multiple, truefalse, fill, matching, ordering], points: 2 }\n  - { title: 简答, draw: 1, types: [short], points: 10 }'
		);
		const exam = parseExamFile(front + ALL_TYPES, PATH);
		const { key } = drawExam(exam, 'seed');
		const responses: Record<string, unknown> = {};
		for (const [id, { item: q }] of Object.entries(key.items)) {
			if (q.type === 'single') responses[id] = q.correct;
			if (q.type === 'multiple') responses[id] = q.correct;
			if (q.type === 'truefalse') responses[id] = q.answer;
			if (q.type === 'fill') responses[id] = q.blanks.map((b) => b[0]);
			if (q.type === 'matching') responses[id] = q.pairs;
			if (q.type === 'ordering') responses[id] = q.steps.map((s) => s.id);
		}
		const before = scorePaper(key, responses);
		expect(before).toMatchObject({ points: 12, max: 22, pending: 1, passed: null });
		const after = scorePaper(key, responses, { 's-short': { m1: 2, m2: 2, m3: 0 } });
		expect(after).toMatchObject({ points: 20, max: 22, pending: 0, passed: true });
		expect(after.percent).toBeCloseTo(90.91, 2);
	});
});

describe('property: a score is always within [0, max]', () => {
	const junk = fc.oneof(
		fc.constant(null),
		fc.constant(undefined),
		fc.boolean(),
		fc.string(),
		fc.array(fc.string()),
		fc.dictionary(fc.string(), fc.string()),
		fc.anything()
	);

	it('for arbitrary responses of any shape', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...items),
				junk,
				fc.double({ min: 0.01, max: 100, noNaN: true }),
				fc.constantFrom('partial' as const, 'all-or-nothing' as const),
				(q, response, points, mode) => {
					const s = scoreResponse(q, response, { points, multipleChoiceScoring: mode });
					expect(s.max).toBe(points);
					expect(s.points).toBeGreaterThanOrEqual(0);
					expect(s.points).toBeLessThanOrEqual(s.max);
				}
			),
			{ numRuns: 2000 }
		);
	});

	it('for well-formed responses built from the item’s own ids', () => {
		const wellFormed = (q: QuestionItem): fc.Arbitrary<unknown> => {
			switch (q.type) {
				case 'single':
					return fc.constantFrom(...q.options.map((o) => o.id));
				case 'multiple':
					return fc.subarray(q.options.map((o) => o.id));
				case 'truefalse':
					return fc.boolean();
				case 'fill':
					return fc.array(fc.oneof(fc.string(), ...q.blanks.map((b) => fc.constantFrom(...b))));
				case 'matching':
					return fc.record(
						Object.fromEntries(
							q.left.map((l) => [l.id, fc.constantFrom(...q.right.map((r) => r.id))])
						)
					);
				case 'ordering':
					return fc.shuffledSubarray(
						q.steps.map((s) => s.id),
						{ minLength: q.steps.length }
					);
				case 'short':
					return fc.string();
			}
		};
		for (const q of items) {
			fc.assert(
				fc.property(wellFormed(q), fc.integer({ min: 1, max: 20 }), (response, points) => {
					const s = scoreResponse(q, response, { points });
					expect(s.points).toBeGreaterThanOrEqual(0);
					expect(s.points).toBeLessThanOrEqual(s.max);
					if (s.correct) expect(s.points).toBe(s.max);
				}),
				{ numRuns: 300 }
			);
		}
	});

	it('for short-answer grades', () => {
		const q = item('short');
		fc.assert(
			fc.property(
				fc.dictionary(fc.constantFrom('m1', 'm2', 'm3', 'mx'), fc.double()),
				fc.integer({ min: 1, max: 30 }),
				(awarded, points) => {
					const s = gradeShortAnswer(q, awarded, points);
					expect(s.points).toBeGreaterThanOrEqual(0);
					expect(s.points).toBeLessThanOrEqual(points);
				}
			)
		);
	});
});

import { describe, expect, it } from 'vitest';
import type { ServedItem } from '$lib/server/exams/draw';
import { answerFromForm, describeAnswer, itemIdOfInput, sameAnswer } from './exam-form';

const fd = (pairs: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of pairs) f.append(k, v);
	return f;
};
const base = { points: 1, stem: '题' };

describe('exam form', () => {
	it('reads every item type from plain form fields', () => {
		const single: ServedItem = {
			...base,
			id: 's',
			type: 'single',
			options: [
				{ id: 'a', text: '甲' },
				{ id: 'b', text: '乙' }
			]
		};
		const multiple: ServedItem = { ...single, id: 'm', type: 'multiple' };
		const tf: ServedItem = { ...base, id: 't', type: 'truefalse' };
		const fill: ServedItem = { ...base, id: 'f', type: 'fill', blanks: 2 };
		const matching: ServedItem = {
			...base,
			id: 'x',
			type: 'matching',
			left: [
				{ id: 'l1', text: '你' },
				{ id: 'l2', text: '不行' }
			],
			right: [
				{ id: 'r1', text: '不尊重' },
				{ id: 'r2', text: '没有服务意愿' }
			]
		};
		const ordering: ServedItem = {
			...base,
			id: 'o',
			type: 'ordering',
			steps: [
				{ id: 'p', text: '问候' },
				{ id: 'q', text: '倾听' },
				{ id: 'r', text: '道别' }
			]
		};
		const short: ServedItem = { ...base, id: 'w', type: 'short' };
		const form = fd([
			['r.s', 'b'],
			['r.m', 'a'],
			['r.m', 'b'],
			['r.t', 'false'],
			['r.f.0', '94%'],
			['r.f.1', ''],
			['r.x.l1', 'r1'],
			['r.x.l2', ''],
			['r.o.p', '1'],
			['r.o.q', '3'],
			['r.o.r', '2'],
			['r.w', '  ']
		]);
		expect(answerFromForm(single, form)).toBe('b');
		expect(answerFromForm(multiple, form)).toEqual(['a', 'b']);
		expect(answerFromForm(tf, form)).toBe(false);
		expect(answerFromForm(fill, form)).toEqual(['94%', '']);
		expect(answerFromForm(matching, form)).toEqual({ l1: 'r1' });
		expect(answerFromForm(ordering, form)).toEqual(['p', 'r', 'q']);
		expect(answerFromForm(short, form)).toBeNull();
		expect(answerFromForm(single, fd([]))).toBeNull();
		expect(describeAnswer(matching, { l1: 'r1' }, '对', '错')).toBe('你 → 不尊重；不行 → —');
		expect(describeAnswer(tf, true, '对', '错')).toBe('对');
	});

	it('knows which item an input belongs to', () => {
		expect(itemIdOfInput('r.svc-001')).toBe('svc-001');
		expect(itemIdOfInput('r.x.l1')).toBe('x');
		expect(itemIdOfInput('comment')).toBeNull();
		expect(sameAnswer(['a'], ['a'])).toBe(true);
		expect(sameAnswer(null, undefined)).toBe(true);
	});
});

import { describe, it, expect } from 'vitest';
import {
	checkExamFile,
	ExamParseError,
	locateYamlPath,
	parseExamFile,
	type ExamIssue,
	type QuestionItem
} from './question-bank';

import { ALL_TYPES, FRONT, FRONT_LINES, PATH } from './fixtures';

function parse(body: string, front = FRONT) {
	return parseExamFile(front + body, PATH);
}

function errorsOf(body: string, front = FRONT): ExamIssue[] {
	const result = checkExamFile(front + body, PATH);
	if (result.ok) throw new Error('expected errors, got a clean parse');
	return result.errors;
}

/** Line number (1-based, in the whole file) of the first body line containing `needle`. */
function lineOf(body: string, needle: string, front = FRONT): number {
	const idx = (front + body).split('\n').findIndex((l) => l.includes(needle));
	if (idx < 0) throw new Error(`"${needle}" not found`);
	return idx + 1;
}

function byId(items: QuestionItem[], id: string): QuestionItem {
	const item = items.find((i) => i.id === id);
	if (!item) throw new Error(`no item ${id}`);
	return item;
}

describe('parseExamFile: frontmatter', () => {
	it('parses the definition and derives slug and total points', () => {
		const { definition } = parse(ALL_TYPES);
		expect(definition.slug).toBe('sample');
		expect(definition.stage).toBe('first-assessment');
		expect(definition.sections[0]).toEqual({ title: '全部', draw: 1, points: 2 });
		expect(definition.totalPoints).toBe(2);
		expect(definition.review.showExplanation).toBe(true);
	});

	it('fills defaults for the optional settings', () => {
		const front = `---
title: t
titleEn: t
kind: written
stage: comprehensive-assessment
timeLimitMinutes: 10
passMark: 70
sections:
  - { title: a, draw: 1, points: 1 }
---
`;
		const { definition } = parse(ALL_TYPES, front);
		expect(definition.attemptsAllowed).toBe(1);
		expect(definition.shuffleItems).toBe(true);
		expect(definition.release).toBe('immediate');
		expect(definition.multipleChoiceScoring).toBe('partial');
	});

	it('reports a missing frontmatter block on line 1', () => {
		const errors = checkExamFile('## a · single · d1\n', PATH);
		expect(errors.ok).toBe(false);
		if (!errors.ok) expect(errors.errors[0].message).toMatch(/^content\/exams\/sample\.md:1: /);
	});

	it('reports a YAML syntax error on its file line', () => {
		const front = FRONT.replace('passMark: 60', 'passMark: [60');
		const errors = errorsOf(ALL_TYPES, front);
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBeGreaterThanOrEqual(lineOf('', 'passMark', front));
		expect(errors[0].message).toMatch(/^content\/exams\/sample\.md:\d+: frontmatter: /);
	});

	it('reports a schema error on the line of the offending key', () => {
		const front = FRONT.replace('passMark: 60', 'passMark: 160');
		const [error] = errorsOf(ALL_TYPES, front);
		expect(error.line).toBe(7);
		expect(error.message).toBe(
			`${PATH}:7: frontmatter: passMark: Too big: expected number to be <=100`
		);
	});

	it('locates nested keys inside the sections list', () => {
		const front = FRONT.replace('    draw: 1', '    draw: 0');
		const [error] = errorsOf(ALL_TYPES, front);
		expect(error.line).toBe(lineOf('', 'draw: 0', front));
		expect(error.reason).toMatch(/sections\[0\]\.draw/);
	});

	it('reports bad enum values, wrong kind and unknown keys', () => {
		const front = FRONT.replace('stage: first-assessment', 'stage: final')
			.replace('kind: written', 'kind: oral')
			.replace('release: immediate', 'release: immediate\nshufle: true');
		const errors = errorsOf(ALL_TYPES, front);
		const lines = errors.map((e) => e.line);
		expect(lines).toContain(lineOf('', 'stage: final', front));
		expect(lines).toContain(lineOf('', 'kind: oral', front));
		expect(lines).toContain(lineOf('', 'shufle', front));
		expect(errors.find((e) => e.line === lineOf('', 'shufle', front))?.reason).toMatch(/shufle/);
	});

	it('reports a missing required key on line 1', () => {
		const front = FRONT.replace('timeLimitMinutes: 30\n', '');
		const [error] = errorsOf(ALL_TYPES, front);
		expect(error.line).toBe(1);
		expect(error.reason).toMatch(/timeLimitMinutes/);
	});

	it('reports a section that asks for more items than match, at the section', () => {
		const front = FRONT.replace('    draw: 1', '    draw: 1\n    tags: [emotion-and-stress]');
		const [error] = errorsOf(ALL_TYPES, front);
		expect(error.line).toBe(lineOf('', '- title: 全部', front));
		expect(error.reason).toMatch(/asks for 1 item\(s\) but only 0 match/);
	});
});

describe('parseExamFile: every item type', () => {
	const { items } = parse(ALL_TYPES);

	it('parses seven items with ids, tags, module, difficulty and line', () => {
		expect(items.map((i) => i.type)).toEqual([
			'single',
			'multiple',
			'truefalse',
			'fill',
			'matching',
			'ordering',
			'short'
		]);
		const single = byId(items, 's-single');
		expect(single.module).toBe('service-concepts');
		expect(single.tags).toEqual(['service-concepts', 'service-mindset']);
		expect(single.difficulty).toBe(1);
		expect(single.line).toBe(lineOf(ALL_TYPES, '## s-single'));
		expect(single.stem).toBe('服务作为一种产品，最大的特点是什么？');
		expect(single.explanation).toBe('服务是无形的。');
	});

	it('single and multiple: options with text-derived ids and the correct ones', () => {
		const single = byId(items, 's-single');
		if (single.type !== 'single') throw new Error();
		expect(single.options.map((o) => o.text)).toEqual([
			'可以先试用后购买',
			'看不见摸不着',
			'可以储存'
		]);
		expect(single.correct).toBe(single.options[1].id);
		expect(new Set(single.options.map((o) => o.id)).size).toBe(3);
		const multi = byId(items, 's-multi');
		if (multi.type !== 'multiple') throw new Error();
		expect(multi.correct).toEqual([multi.options[0].id, multi.options[2].id]);
	});

	it('option ids do not depend on option order', () => {
		const swapped = ALL_TYPES.replace(
			'- [ ] 可以先试用后购买\n- [x] 看不见摸不着',
			'- [x] 看不见摸不着\n- [ ] 可以先试用后购买'
		);
		const a = byId(items, 's-single');
		const b = byId(parse(swapped).items, 's-single');
		if (a.type !== 'single' || b.type !== 'single') throw new Error();
		expect(b.correct).toBe(a.correct);
	});

	it('truefalse, fill, matching, ordering and short', () => {
		const tf = byId(items, 's-tf');
		expect(tf.type === 'truefalse' && tf.answer).toBe(false);
		const fill = byId(items, 's-fill');
		if (fill.type !== 'fill') throw new Error();
		expect(fill.blanks).toEqual([['94', '九十四'], ['89']]);
		expect(fill.normalize).toEqual({ width: true, spaces: true, case: true });
		const match = byId(items, 's-match');
		if (match.type !== 'matching') throw new Error();
		expect(match.left.map((l) => l.text)).toEqual(['懂不懂？', '对对对', '没有办法']);
		expect(match.right.map((r) => r.text)).toContain('亲切友好');
		expect(match.right).toHaveLength(4);
		expect(match.right.find((r) => r.id === match.pairs[match.left[1].id])?.text).toBe('不耐烦');
		const order = byId(items, 's-order');
		if (order.type !== 'ordering') throw new Error();
		expect(order.steps.map((s) => s.text)).toEqual(['接起问候', '倾听', '记录', '解答', '收尾']);
		const short = byId(items, 's-short');
		if (short.type !== 'short') throw new Error();
		expect(short.reference).toBe('保持冷静，让客户充分倾诉，\n表示理解后逐步提出解决办法。');
		expect(short.markingPoints.map((m) => m.points)).toEqual([2, 2, 1]);
		expect(short.markingPoints[0]).toEqual({ id: 'm1', text: '保持冷静，不计较言辞', points: 2 });
	});

	it('accepts true/false words, a normalize line and a quoted stem', () => {
		const body = `
## q1 · truefalse · d2
tags: phone-etiquette

> 客户：你们怎么又停网了？

坐席回答“这是公司的规定”是合适的。

= false

> 不合适：这是禁用语。

## q2 · fill · d1
tags: product-knowledge
normalize: case

热线号码是 ___。

= 400-820-6655

> 400-820-6655。
`;
		const front = FRONT.replace('draw: 1', 'draw: 1\n    types: [truefalse]');
		const { items: parsed } = parse(body, front);
		const q1 = byId(parsed, 'q1');
		if (q1.type !== 'truefalse') throw new Error();
		expect(q1.answer).toBe(false);
		expect(q1.stem).toBe('> 客户：你们怎么又停网了？\n\n坐席回答“这是公司的规定”是合适的。');
		const q2 = byId(parsed, 'q2');
		expect(q2.type === 'fill' && q2.normalize).toEqual({ width: false, spaces: false, case: true });
	});

	it('accepts | as the heading separator and CRLF line endings', () => {
		const body = ALL_TYPES.replace('## s-tf · truefalse · d1', '## s-tf | truefalse | d1');
		const { items: parsed } = parseExamFile((FRONT + body).replace(/\n/g, '\r\n'), PATH);
		expect(parsed).toHaveLength(7);
	});
});

describe('parseExamFile: malformed items give path:line: reason', () => {
	const expectError = (body: string, needle: string | number, pattern: RegExp) => {
		const errors = errorsOf(body);
		const line = typeof needle === 'number' ? needle : lineOf(body, needle);
		const hit = errors.find((e) => e.line === line && pattern.test(e.reason));
		expect(hit, `errors: ${errors.map((e) => e.message).join(' / ')}`).toBeDefined();
		expect(hit?.message).toBe(`${PATH}:${line}: ${hit?.reason}`);
		return errors;
	};

	it('a choice item without a correct option', () => {
		const body = ALL_TYPES.replace('- [x] 看不见摸不着', '- [ ] 看不见摸不着');
		expectError(body, '- [ ] 可以先试用后购买', /s-single: no correct option/);
	});

	it('a multiple item without a correct option', () => {
		const body = ALL_TYPES.replace('- [x] 这是公司的规定', '- [ ] 这是公司的规定').replace(
			'- [x] 不知道',
			'- [ ] 不知道'
		);
		expectError(body, '- [ ] 这是公司的规定', /s-multi: no correct option/);
	});

	it('two [x] on a single item, reported on the second', () => {
		const body = ALL_TYPES.replace('- [ ] 可以储存', '- [x] 可以储存');
		expectError(body, '- [x] 可以储存', /exactly one correct option .* line \d+/);
	});

	it('an unknown type', () => {
		const body = ALL_TYPES.replace('## s-tf · truefalse · d1', '## s-tf · judge · d1');
		expectError(body, '## s-tf', /unknown item type "judge"/);
	});

	it('a duplicate id, reported on the second with the first line', () => {
		const body = ALL_TYPES.replace('## s-tf · truefalse', '## s-single · truefalse');
		const errors = expectError(body, '## s-single · truefalse', /duplicate item id "s-single"/);
		expect(errors[0].reason).toContain(
			`first used on line ${lineOf(body, '## s-single · single')}`
		);
	});

	it('blank count different from answer lines', () => {
		const body = ALL_TYPES.replace('= 89\n', '');
		expectError(body, '= 94 | 九十四', /2 blank\(s\) .* but 1 answer line/);
	});

	it('a fill stem without blanks', () => {
		const body = ALL_TYPES.replace('约有 ___%', '约有 94%').replace('约 ___%', '约 89%');
		expectError(body, '## s-fill', /no blank/);
	});

	it('a bad difficulty', () => {
		const body = ALL_TYPES.replace('## s-order · ordering · d1', '## s-order · ordering · d4');
		expectError(body, '## s-order', /difficulty must be d1, d2 or d3 \(got "d4"\)/);
	});

	it('a heading with a missing part', () => {
		const body = ALL_TYPES.replace('## s-order · ordering · d1', '## s-order · ordering');
		expectError(body, '## s-order', /an item heading is/);
	});

	it('missing tags, missing module and missing explanation', () => {
		const body = ALL_TYPES.replace('tags: phone-etiquette, etiquette\n', '')
			.replace('tags: customer-service-knowledge, call-handling', 'tags: call-handling')
			.replace('> 要等客户先挂机。', '');
		expectError(body, '## s-multi', /missing `tags:`/);
		expectError(body, '## s-order', /must include a course slug/);
		expectError(body, '## s-tf', /missing explanation/);
	});

	it('answer syntax of another type, stray text, bad truefalse value', () => {
		const body = ALL_TYPES.replace('= 错', '- [x] 错')
			.replace('- [ ] 可以储存', '- [ ] 可以储存\n这一行不该在这里')
			.replace('= 89', '= 89\n\n> 解释\n多出来的一行');
		expectError(body, '- [x] 错', /not answer syntax for a truefalse item/);
		expectError(body, '这一行不该在这里', /unexpected line among the answers/);
		expectError(body, '多出来的一行', /unexpected text after the explanation/);
		const wrongValue = ALL_TYPES.replace('= 错', '= 也许');
		expectError(wrongValue, '= 也许', /is not 对\/错/);
	});

	it('ordering numbering, duplicate options, short without marking points', () => {
		const body = ALL_TYPES.replace('4. 解答', '5. 解答')
			.replace('- [ ] 可以储存', '- [ ] 可以先试用后购买')
			.replace(/\+ .*\n/g, '');
		expectError(body, '5. 解答', /expected 4, got 5/);
		expectError(body, lineOf(body, '先试用后购买') + 2, /listed twice \(also on line \d+\)/);
		expect(errorsOf(body).some((e) => /needs marking points/.test(e.reason))).toBe(true);
	});

	it('lists every problem, sorted by line, and parseExamFile throws them all', () => {
		const body = ALL_TYPES.replace('## s-tf · truefalse · d1', '## s-tf · judge · d1').replace(
			'- [ ] 可以储存',
			'- [x] 可以储存'
		);
		const errors = errorsOf(body);
		expect(errors.length).toBe(2);
		expect(errors[0].line).toBeLessThan(errors[1].line);
		expect(() => parse(body)).toThrow(ExamParseError);
		try {
			parse(body);
		} catch (e) {
			expect((e as ExamParseError).issues).toHaveLength(2);
			expect((e as Error).message.split('\n')).toHaveLength(2);
		}
	});

	it('line numbers count the frontmatter', () => {
		const body = '\n## x · single · d9\n';
		const [error] = errorsOf(body).filter((e) => /difficulty/.test(e.reason));
		expect(error.line).toBe(FRONT_LINES + 2);
	});
});

describe('locateYamlPath', () => {
	const yaml = [
		'title: a',
		'sections:',
		'  - title: b',
		'    draw: 1',
		'  - title: c',
		'    draw: 2'
	];
	it('finds nested keys and list entries (file lines = index + 2)', () => {
		expect(locateYamlPath(yaml, ['title'])).toBe(2);
		expect(locateYamlPath(yaml, ['sections', 1])).toBe(6);
		expect(locateYamlPath(yaml, ['sections', 1, 'draw'])).toBe(7);
		expect(locateYamlPath(yaml, ['sections', 0, 'points'])).toBe(4);
		expect(locateYamlPath(yaml, ['nothing'])).toBe(1);
	});
});

import { describe, it, expect } from 'vitest';
import { parseExamFile, type ParsedExam, type QuestionItem } from './question-bank';
import {
	createRng,
	drawExam,
	ExamDrawError,
	findSectionProblems,
	matchesSection,
	shuffle
} from './draw';
import { scoreResponse } from './scoring';
import { ALL_TYPES, FRONT, PATH } from './fixtures';

/** A bank of 30 single items over three modules and three difficulties, plus the sample. */
function bank(): string {
	const modules = ['service-concepts', 'product-knowledge', 'phone-etiquette'];
	let body = ALL_TYPES;
	for (let i = 1; i <= 30; i++) {
		const module = modules[i % 3];
		const d = (i % 3) + 1;
		body += `
## b-${i} · single · d${d}
tags: ${module}${i % 2 ? ', etiquette' : ''}

第 ${i} 题的题干。

- [ ] 错误选项甲 ${i}
- [x] 正确选项 ${i}
- [ ] 错误选项乙 ${i}
- [ ] 错误选项丙 ${i}

> 第 ${i} 题的解析。
`;
	}
	return body;
}

function withSections(sections: string, extra = ''): string {
	return FRONT.replace(/sections:[\s\S]*---\n$/, `${extra}sections:\n${sections}\n---\n`);
}

const SECTIONS = `  - title: 产品知识（难）
    tags: [product-knowledge]
    difficulty: [2, 3]
    points: 2
    draw: 4
  - title: 礼仪
    tags: [phone-etiquette, etiquette]
    draw: 3
    points: 2
  - title: 其他
    types: [single, matching, ordering]
    draw: 10
    points: 1`;

const exam: ParsedExam = parseExamFile(withSections(SECTIONS) + bank(), PATH);

describe('seeded randomness', () => {
	it('createRng is deterministic per seed and in [0, 1)', () => {
		const a = createRng('abc');
		const b = createRng('abc');
		const c = createRng('abd');
		const xs = Array.from({ length: 50 }, () => a());
		expect(Array.from({ length: 50 }, () => b())).toEqual(xs);
		expect(Array.from({ length: 50 }, () => c())).not.toEqual(xs);
		expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
	});
	it('shuffle permutes a copy', () => {
		const list = [1, 2, 3, 4, 5, 6, 7, 8];
		const out = shuffle(list, createRng(1));
		expect([...out].sort()).toEqual(list);
		expect(list).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});
});

describe('drawExam', () => {
	it('is deterministic per seed and differs between seeds', () => {
		const a = drawExam(exam, 'attempt-1');
		const b = drawExam(exam, 'attempt-1');
		const c = drawExam(exam, 'attempt-2');
		expect(b).toEqual(a);
		expect(JSON.stringify(c.paper)).not.toBe(JSON.stringify(a.paper));
	});

	it('draws the requested count per section, distinct items, honouring tags/difficulty/types', () => {
		const { paper, key } = drawExam(exam, 42);
		expect(paper.sections.map((s) => s.items.length)).toEqual([4, 3, 10]);
		const ids = paper.sections.flatMap((s) => s.items.map((i) => i.id));
		expect(new Set(ids).size).toBe(ids.length);
		paper.sections.forEach((s, i) => {
			for (const served of s.items) {
				const item = key.items[served.id].item;
				expect(matchesSection(item, exam.definition.sections[i])).toBe(true);
				expect(key.items[served.id].section).toBe(i);
				expect(served.points).toBe(exam.definition.sections[i].points);
			}
		});
		for (const served of paper.sections[0].items) {
			const item = key.items[served.id].item;
			expect(item.tags).toContain('product-knowledge');
			expect(item.difficulty).toBeGreaterThanOrEqual(2);
		}
		expect(paper.totalPoints).toBe(4 * 2 + 3 * 2 + 10);
	});

	it('over many seeds, every matching item gets drawn sometimes (not a fixed subset)', () => {
		const seen = new Set<string>();
		for (let s = 0; s < 200; s++) {
			for (const sec of drawExam(exam, s).paper.sections) for (const i of sec.items) seen.add(i.id);
		}
		const eligible = exam.items.filter((item) =>
			exam.definition.sections.some((sec) => matchesSection(item, sec))
		);
		expect(seen.size).toBe(eligible.length);
	});

	it('serves options in shuffled order with stable ids, and they score against the key', () => {
		const { paper, key } = drawExam(exam, 'x');
		const orders = new Set<string>();
		for (let s = 0; s < 20; s++) {
			const served = drawExam(exam, s)
				.paper.sections.flatMap((sec) => sec.items)
				.find((i) => i.id === 'b-2');
			if (served && served.type === 'single') orders.add(served.options.map((o) => o.id).join());
		}
		expect(orders.size).toBeGreaterThan(1);
		for (const served of paper.sections.flatMap((s) => s.items)) {
			const { item } = key.items[served.id];
			if (served.type === 'single' && item.type === 'single') {
				expect(new Set(served.options.map((o) => o.id))).toEqual(
					new Set(item.options.map((o) => o.id))
				);
				expect(scoreResponse(item, item.correct).correct).toBe(true);
			}
		}
	});

	it('keeps authored order when shuffleItems and shuffleOptions are off', () => {
		const front = withSections(SECTIONS)
			.replace('shuffleItems: true', 'shuffleItems: false')
			.replace('shuffleOptions: true', 'shuffleOptions: false');
		const plain = parseExamFile(front + bank(), PATH);
		const { paper, key } = drawExam(plain, 7);
		const position = new Map(plain.items.map((item, i) => [item.id, i]));
		for (const sec of paper.sections) {
			const at = sec.items.map((i) => position.get(i.id) ?? -1);
			expect(at).toEqual([...at].sort((x, y) => x - y));
			for (const served of sec.items) {
				const item = key.items[served.id].item;
				if (served.type === 'single' && item.type === 'single') {
					expect(served.options.map((o) => o.text)).toEqual(item.options.map((o) => o.text));
				}
			}
		}
	});

	it('always scrambles ordering steps and the right column of matching items', () => {
		const front = withSections(
			`  - { title: 连线排序, types: [matching, ordering], draw: 2, points: 4 }`
		);
		const small = parseExamFile(front + ALL_TYPES, PATH);
		for (let s = 0; s < 30; s++) {
			const { paper, key } = drawExam(small, s);
			for (const served of paper.sections[0].items) {
				const item = key.items[served.id].item;
				if (served.type === 'ordering' && item.type === 'ordering') {
					expect(served.steps.map((x) => x.id)).not.toEqual(item.steps.map((x) => x.id));
				}
				if (served.type === 'matching' && item.type === 'matching') {
					expect(served.right.map((x) => x.id)).not.toEqual(item.right.map((x) => x.id));
					expect(served.right).toHaveLength(item.right.length);
				}
			}
		}
	});

	it('keeps the key out of the served paper', () => {
		const front = withSections(
			`  - { title: 全部, types: [single, multiple, truefalse, fill, matching, ordering, short], draw: 7, points: 2 }`
		);
		const all = parseExamFile(front + ALL_TYPES, PATH);
		const { paper, key } = drawExam(all, 'k');
		const json = JSON.stringify(paper);
		for (const { item } of Object.values(key.items)) {
			expect(json).not.toContain(item.explanation);
			expect(json).not.toContain('"correct"');
			expect(json).not.toContain('"answer"');
			expect(json).not.toContain('"pairs"');
			expect(json).not.toContain('"explanation"');
			expect(json).not.toContain('"tags"');
			if (item.type === 'fill')
				for (const b of item.blanks) for (const a of b) expect(json).not.toContain(`"${a}"`);
			if (item.type === 'short') {
				expect(json).not.toContain(item.reference.split('\n')[0]);
				for (const m of item.markingPoints) expect(json).not.toContain(m.text);
			}
		}
		const allowed: Record<QuestionItem['type'], string[]> = {
			single: ['id', 'points', 'stem', 'type', 'options'],
			multiple: ['id', 'points', 'stem', 'type', 'options'],
			truefalse: ['id', 'points', 'stem', 'type'],
			fill: ['id', 'points', 'stem', 'type', 'blanks'],
			matching: ['id', 'points', 'stem', 'type', 'left', 'right'],
			ordering: ['id', 'points', 'stem', 'type', 'steps'],
			short: ['id', 'points', 'stem', 'type']
		};
		const served = paper.sections[0].items;
		expect(served.map((i) => i.type).sort()).toEqual(Object.keys(allowed).sort());
		for (const i of served) expect(Object.keys(i).sort()).toEqual(allowed[i.type].sort());
		expect(JSON.parse(JSON.stringify(key))).toEqual(key);
	});

	it('fails clearly when a section asks for more items than match', () => {
		const sections = `  - title: 情绪（难）
    tags: [product-knowledge]
    difficulty: [3]
    draw: 50
    points: 1`;
		// Build the definition without the parser's own check, to exercise drawExam's error.
		const broken: ParsedExam = {
			...exam,
			definition: {
				...exam.definition,
				sections: [
					{ title: '情绪（难）', tags: ['product-knowledge'], difficulty: [3], draw: 50, points: 1 }
				]
			}
		};
		expect(() => drawExam(broken, 1)).toThrow(ExamDrawError);
		expect(() => drawExam(broken, 1)).toThrow(
			/section 1 "情绪（难）" asks for 50 item\(s\) but only \d+ match \(tags product-knowledge, difficulty 3\)/
		);
		// The parser reports the same at the section's line.
		expect(() => parseExamFile(withSections(sections) + bank(), PATH)).toThrow(
			/sample\.md:\d+: sections\[0\] "情绪（难）": asks for 50/
		);
	});

	it('fails clearly when overlapping sections need more distinct items than exist', () => {
		const pk = exam.items.filter((i) => i.tags.includes('product-knowledge')).length;
		const problems = findSectionProblems(
			{
				sections: [
					{ title: 'A', tags: ['product-knowledge'], draw: pk, points: 1 },
					{ title: 'B', tags: ['product-knowledge'], draw: 1, points: 1 }
				]
			},
			exam.items
		);
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatchObject({ section: 1, title: 'B' });
		expect(problems[0].reason).toMatch(/more distinct items than match/);
	});

	it('fills overlapping sections whenever an assignment exists', () => {
		// Section A takes any single; B needs the product-knowledge ones. Greedy picking would
		// often take product-knowledge items for A and then fail B; matching never does.
		const pk = exam.items.filter((i) => i.tags.includes('product-knowledge')).length;
		const singles = exam.items.filter((i) => i.type === 'single').length;
		const definition = {
			...exam.definition,
			sections: [
				{ title: 'A', types: ['single' as const], draw: singles - pk, points: 1 },
				{ title: 'B', tags: ['product-knowledge'], types: ['single' as const], draw: pk, points: 1 }
			]
		};
		for (let s = 0; s < 20; s++) {
			const { paper } = drawExam({ ...exam, definition }, s);
			expect(paper.sections[1].items).toHaveLength(pk);
		}
	});
});

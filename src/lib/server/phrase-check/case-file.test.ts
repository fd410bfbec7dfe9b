import { describe, it, expect } from 'vitest';
import { parseCaseFile, writeAnnotationTimes } from './case-file';

const CASE = `---
title: 测试
titleEn: Test
callType: consultation
difficulty: 1
quality: poor
skills: [etiquette]
summary: 概述
summaryEn: Summary
prompts: [这是哪一类来电？]
referenceClassification: consultation
annotations:
  - { line: 1, category: forbidden-expression, rule: ni-instead-of-nin, note: "「你」" }
  - { line: 2, to: 3, category: good-practice,
      note: "客户挂机" }
referenceAnalysis: 分析
---

坐席：你好。
客户：再见。
[停顿 1]
坐席：再见。
[客户挂断]
`;

describe('parseCaseFile', () => {
	it('reads the frontmatter, script and transcript', () => {
		const c = parseCaseFile(CASE);
		expect(c.frontmatter.annotations).toHaveLength(2);
		expect(c.transcript.turns.map((t) => t.text)).toEqual(['你好。', '再见。', '再见。']);
		expect(c.transcript.hungUpFirst).toBe('customer');
		expect(c.script.find((i) => i.kind === 'pause')).toMatchObject({ seconds: 1, sourceLine: 21 });
	});

	it('reports problems with their file line', () => {
		expect(() => parseCaseFile(CASE.replace('客户：再见。', '旁白：再见。'), 'x.md')).toThrow(
			/^x\.md:20: /
		);
		expect(() => parseCaseFile(CASE.replace('to: 3', 'to: 9'), 'x.md')).toThrow(
			/x\.md:12: annotation on line 2 is past the last turn/
		);
		expect(() => parseCaseFile(CASE.replace(', rule: ni-instead-of-nin', ''))).toThrow(/rule/);
		expect(() => parseCaseFile(CASE.replace('good-practice', 'nice'))).toThrow(/category/);
		expect(() => parseCaseFile(CASE.replace('quality: poor', 'quality: great'))).toThrow(/quality/);
	});
});

describe('writeAnnotationTimes', () => {
	it('rewrites only the annotations block, one line each, and is idempotent', () => {
		const c = parseCaseFile(CASE);
		const timed = c.frontmatter.annotations.map((a, i) => ({
			...a,
			start: i + 0.1234,
			end: i + 2
		}));
		const once = writeAnnotationTimes(CASE, timed);
		expect(once).toContain(
			'  - { line: 1, start: 0.123, end: 2, category: forbidden-expression, rule: ni-instead-of-nin, note: "「你」" }'
		);
		expect(once).toContain(
			'  - { line: 2, to: 3, start: 1.123, end: 3, category: good-practice, note: "客户挂机" }'
		);
		expect(once.split('\n').filter((l) => !CASE.includes(l))).toHaveLength(2);
		const reparsed = parseCaseFile(once).frontmatter.annotations;
		expect(reparsed.map((a) => [a.start, a.end])).toEqual([
			[0.123, 2],
			[1.123, 3]
		]);
		expect(writeAnnotationTimes(once, reparsed)).toBe(once);
	});
});

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog, headingsOf, plainText } from './catalog';
import { readContentDir } from './disk';

const course = (over = '') => `---
title: 测试课程
titleEn: Test course
summary: 简介
summaryEn: Intro
order: 1
estimatedMinutes: 30
skills: [empathy]
prerequisites: []
${over}---
课程介绍
`;
const lesson = (fm = 'title: 第一课\ntitleEn: Lesson one\nestimatedMinutes: 10\nskills: [empathy]\n') => `---\n${fm}---\n\n## 小标题\n正文内容。\n`;

describe('content catalog', () => {
	it('accepts the real content and meets the volume the curriculum promises', () => {
		const catalog = buildCatalog(readContentDir(resolve('content')));
		expect(catalog.errors.map((e) => e.message)).toEqual([]);
		expect(catalog.courses.map((c) => c.slug)).toEqual([
			'service-concepts',
			'product-knowledge',
			'customer-service-knowledge',
			'phone-etiquette',
			'answering-skills',
			'outbound-and-retention',
			'emotion-and-stress'
		]);
		for (const c of catalog.courses) {
			expect(c.lessons.length, c.slug).toBeGreaterThanOrEqual(3);
			for (const l of c.lessons) {
				expect(l.hanCount, l.file).toBeGreaterThanOrEqual(600);
				expect(l.interactiveCount, l.file).toBeGreaterThanOrEqual(1);
			}
		}
		const program = catalog.programs.find((p) => p.slug === 'onboarding');
		expect(program?.stages.map((s) => s.slug)).toEqual(['first-assessment', 'comprehensive-assessment', 'go-live']);
	});

	it('reports a bad field with the file, line and reason', () => {
		const files = {
			'/content/courses/01-test/index.md': course().replace('estimatedMinutes: 30', 'estimatedMinutes: soon'),
			'/content/courses/01-test/01-one.md': lesson()
		};
		const { errors } = buildCatalog(files);
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toMatch(/^\/content\/courses\/01-test\/index\.md:7: estimatedMinutes: /);
	});

	it('reports broken YAML, unknown skills, unknown keys and missing frontmatter', () => {
		const files = {
			'/content/courses/01-test/index.md': course(),
			'/content/courses/01-test/01-one.md': lesson('title: "unclosed\ntitleEn: x\n'),
			'/content/courses/01-test/02-two.md': lesson('title: 二\ntitleEn: Two\nestimatedMinutes: 5\nskills: [flying]\n'),
			'/content/courses/01-test/03-three.md': lesson('title: 三\ntitleEn: Three\nestimatedMinutes: 5\nauthor: me\n'),
			'/content/courses/01-test/04-four.md': '# no frontmatter\n'
		};
		const messages = buildCatalog(files).errors.map((e) => e.message);
		expect(messages).toHaveLength(4);
		expect(messages[0]).toMatch(/01-one\.md:5: frontmatter is not valid YAML/);
		expect(messages[1]).toMatch(/02-two\.md:5: skills\.0: /);
		expect(messages[2]).toMatch(/03-three\.md:5: .*author/);
		expect(messages[3]).toMatch(/04-four\.md:1: missing frontmatter/);
	});

	it('checks order against the folder number, prerequisites and program references', () => {
		const files = {
			'/content/courses/02-test/index.md': course('').replace('prerequisites: []', 'prerequisites: [nowhere]'),
			'/content/courses/02-test/01-one.md': lesson(),
			'/content/programs/p.md': `---
slug: p
code: TP
title: 项目
titleEn: P
summary: s
summaryEn: s
stages:
  - slug: one
    title: 一
    titleEn: One
    summary: s
    summaryEn: s
    courses: [missing-course]
    assessments: [{ exam: x, kind: written }]
    passRule: all-required-passed
    maxRetrains: 1
---
`
		};
		const messages = buildCatalog(files).errors.map((e) => e.message);
		expect(messages.some((m) => /02-test\/index\.md:2: order 1 must match the folder number 02/.test(m))).toBe(true);
		expect(messages.some((m) => /programs\/p\.md:1: stage "one" names course "missing-course"/.test(m))).toBe(true);
	});

	it('keeps stable slugs when a lesson is renamed or reordered', () => {
		const a = buildCatalog({ '/content/courses/01-test/index.md': course(), '/content/courses/01-test/01-one.md': lesson(), '/content/courses/01-test/02-two.md': lesson() });
		const b = buildCatalog({
			'/content/courses/01-test/index.md': course(),
			'/content/courses/01-test/01-two.md': lesson('title: 改名后的第二课\ntitleEn: Two renamed\nestimatedMinutes: 10\n'),
			'/content/courses/01-test/02-one.md': lesson()
		});
		expect(a.courses[0].lessons.map((l) => l.slug)).toEqual(['one', 'two']);
		expect(b.courses[0].lessons.map((l) => l.slug)).toEqual(['two', 'one']);
	});

	it('extracts headings with ids and plain text for search', () => {
		expect(headingsOf('## 三个要素\n### Step one\n```\n## not a heading\n```\n')).toEqual([
			{ depth: 2, text: '三个要素', id: '三个要素' },
			{ depth: 3, text: 'Step one', id: 'step-one' }
		]);
		expect(plainText('<script>\nimport x from "y";\n</script>\n## 标题\n<Quiz question="问题？" options={[\'甲\']} />\n**粗体**')).toBe('标题 问题？ 甲 粗体');
	});
});

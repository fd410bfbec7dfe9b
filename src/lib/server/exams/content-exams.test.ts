import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkExamFile, type ParsedExam } from './question-bank';
import { COURSE_SLUGS, ITEM_TYPES, SKILL_IDS, courseSlugSet } from './exam-schema';
import { drawExam, matchesSection } from './draw';
import { scoreResponse } from './scoring';

const dir = fileURLToPath(new URL('../../../../content/exams/', import.meta.url));
const FILES = {
	'first-written.md': {
		stage: 'first-assessment',
		modules: [
			'service-concepts',
			'product-knowledge',
			'customer-service-knowledge',
			'phone-etiquette'
		]
	},
	'comprehensive-written.md': {
		stage: 'comprehensive-assessment',
		modules: ['answering-skills', 'outbound-and-retention', 'emotion-and-stress']
	}
} as const;
/** Free tags the banks may use besides course slugs and skill ids. */
const EXTRA_TAGS = new Set(['integrated']);

function load(name: string): ParsedExam {
	const path = `content/exams/${name}`;
	const result = checkExamFile(readFileSync(dir + name, 'utf8'), path);
	if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
	return result.exam;
}

describe('content/exams: the real question banks', () => {
	it('contains exactly the two written tests', () => {
		// Other assessment kinds (case analysis, mock go-live) live beside them.
		expect(
			readdirSync(dir)
				.filter(
					(f) => f.endsWith('.md') && /^kind:\s*written\s*$/m.test(readFileSync(dir + f, 'utf8'))
				)
				.sort()
		).toEqual(Object.keys(FILES).sort());
	});

	const exams = Object.fromEntries(Object.keys(FILES).map((f) => [f, load(f)])) as Record<
		keyof typeof FILES,
		ParsedExam
	>;
	const all = Object.values(exams).flatMap((e) => e.items);

	it('together hold at least 100 items, at least 10 per module, every type', () => {
		expect(all.length).toBeGreaterThanOrEqual(100);
		for (const module of COURSE_SLUGS) {
			expect(all.filter((i) => i.module === module).length, module).toBeGreaterThanOrEqual(10);
		}
		expect(new Set(all.map((i) => i.type))).toEqual(new Set(ITEM_TYPES));
	});

	it('use only known tags', () => {
		const known = new Set([...COURSE_SLUGS, ...SKILL_IDS, ...EXTRA_TAGS]);
		for (const item of all)
			for (const t of item.tags) expect(known.has(t), `${item.id}: ${t}`).toBe(true);
	});

	for (const [name, spec] of Object.entries(FILES)) {
		describe(name, () => {
			const exam = exams[name as keyof typeof FILES];

			it('has the right stage, a 100-point paper and every item type', () => {
				expect(exam.definition.kind).toBe('written');
				expect(exam.definition.stage).toBe(spec.stage);
				expect(exam.definition.totalPoints).toBe(100);
				expect(new Set(exam.items.map((i) => i.type))).toEqual(new Set(ITEM_TYPES));
			});

			it('has at least 16 items for each of its modules (integrated items aside)', () => {
				for (const module of spec.modules) {
					const own = exam.items.filter(
						(i) => i.module === module && !i.tags.includes('integrated')
					);
					expect(own.length, module).toBeGreaterThanOrEqual(16);
				}
			});

			it('short answers carry marking points that add up to their section value', () => {
				const shorts = exam.items.filter((i) => i.type === 'short');
				expect(shorts.length).toBeGreaterThanOrEqual(3);
				for (const item of shorts) {
					if (item.type !== 'short') continue;
					const total = item.markingPoints.reduce((s, m) => s + m.points, 0);
					const sections = exam.definition.sections.filter((s) => matchesSection(item, s));
					for (const s of sections) expect(total, item.id).toBe(s.points);
				}
			});

			it('can draw every section, for many seeds, and the key scores full marks', () => {
				for (let seed = 0; seed < 25; seed++) {
					const { paper, key } = drawExam(exam, `seed-${seed}`);
					paper.sections.forEach((s, i) =>
						expect(s.items).toHaveLength(exam.definition.sections[i].draw)
					);
					for (const { item, points } of Object.values(key.items)) {
						let response: unknown = null;
						if (item.type === 'single') response = item.correct;
						if (item.type === 'multiple') response = item.correct;
						if (item.type === 'truefalse') response = item.answer;
						if (item.type === 'fill') response = item.blanks.map((b) => b[0]);
						if (item.type === 'matching') response = item.pairs;
						if (item.type === 'ordering') response = item.steps.map((s) => s.id);
						const score = scoreResponse(item, response, { points });
						expect(score.points, item.id).toBe(item.type === 'short' ? 0 : points);
					}
				}
			});
		});
	}

	it('the first test has the standard inbound actions and the forbidden expressions', () => {
		const first = exams['first-written.md'].items;
		expect(
			first.some(
				(i) =>
					i.type === 'ordering' && i.steps.length === 5 && i.module === 'customer-service-knowledge'
			)
		).toBe(true);
		expect(first.some((i) => i.type === 'matching' && i.module === 'phone-etiquette')).toBe(true);
		expect(first.some((i) => i.type === 'fill' && i.module === 'phone-etiquette')).toBe(true);
	});

	it('the comprehensive test has the callback actions and at least 12 integrated items', () => {
		const comp = exams['comprehensive-written.md'].items;
		expect(
			comp.some(
				(i) =>
					i.type === 'ordering' && i.module === 'outbound-and-retention' && i.steps.length === 5
			)
		).toBe(true);
		const integrated = comp.filter((i) => i.tags.includes('integrated'));
		expect(integrated.length).toBeGreaterThanOrEqual(12);
		expect(
			new Set(integrated.flatMap((i) => i.tags.filter((t) => courseSlugSet.has(t)))).size
		).toBe(COURSE_SLUGS.length);
	});
});

import { describe, expect, it } from 'vitest';
import { findExam } from '../content/index';
import { renderStem } from '../content/markdown';
import { drawExam, type ServedItem } from '../exams/draw';
import { itemBodyHtml } from './exam-items';

describe('exam item bodies', () => {
	const { paper } = drawExam(findExam('first-written')!, 'render-seed');
	const items = paper.sections.flatMap((s) => s.items);
	type Choice = Extract<ServedItem, { type: 'single' | 'multiple' }>;
	const single = items.find((i): i is Choice => i.type === 'single')!;
	const body = (item: ServedItem, value: unknown) =>
		itemBodyHtml(item, renderStem(item.stem), value);

	it('shows the stem and every choice in the served order, none checked when unanswered', () => {
		const html = body(single, null);
		const positions = single.options.map((o) => html.indexOf(`value="${o.id}"`));
		expect(positions.every((p) => p >= 0)).toBe(true);
		expect(positions).toEqual([...positions].sort((a, b) => a - b));
		expect(html).not.toContain('checked');
		// Asked again (cached after the first time), the same body.
		expect(body(single, null)).toBe(html);
	});

	it('shows a saved answer, rendered for this page only', () => {
		const chosen = single.options[2].id;
		const html = body(single, chosen);
		expect(html).toMatch(new RegExp(`value="${chosen}"[^>]*checked`));
		expect(html.match(/checked/g)).toHaveLength(1);
		// The shared unanswered body is unchanged.
		expect(body(single, null)).not.toContain('checked');
	});

	it('renders every item type with its controls', () => {
		for (const item of items) {
			const html = body(item, null);
			expect(html).toContain(`r.${item.id}`);
		}
	});
});

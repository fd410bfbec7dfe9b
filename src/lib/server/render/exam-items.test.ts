import { describe, expect, it } from 'vitest';
import { findExam } from '../content/index';
import { renderStem } from '../content/markdown';
import { drawExam, type ServedItem } from '../exams/draw';
import { itemBodyHtml, itemHtml } from './exam-items';

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

	it('wraps an item in its fieldset with its number and points, without hydration markers', () => {
		const html = itemHtml(single, 7, renderStem(single.stem), null);
		expect(
			html.startsWith(`<fieldset class="exam-item" id="q-${single.id}" data-item="${single.id}">`)
		).toBe(true);
		expect(html.endsWith('</fieldset>')).toBe(true);
		expect(html).toContain('<legend class="sr-only">第 7 题</legend>');
		expect(html).toContain(`<span>${single.points} 分</span>`);
		expect(html).toContain(body(single, null));
		expect(html).not.toContain('<!--');
		// Another number, another head; the same body.
		const other = itemHtml(single, 8, renderStem(single.stem), null);
		expect(other).toContain('第 8 题');
		expect(other).not.toContain('第 7 题');
	});

	it('escapes an item id in its attributes', () => {
		const odd = { ...single, id: 'x"><script>' };
		const html = itemHtml(odd, 1, '<p>stem</p>', null);
		expect(html).toContain('id="q-x&quot;&gt;&lt;script&gt;"');
		expect(html).not.toContain('<script>');
	});

	it('renders every item type with its controls', () => {
		for (const item of items) {
			const html = body(item, null);
			expect(html).toContain(`r.${item.id}`);
			expect(html).not.toContain('<!--');
		}
	});
});

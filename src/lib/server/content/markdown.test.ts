import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderStem } from './markdown';

describe('markdown rendering', () => {
	it('shows raw HTML as text and keeps formatting', () => {
		const html = renderMarkdown('说明 <script>alert(1)</script> **b**\n\n<img src=x onerror=alert(1)>');
		expect(html).not.toMatch(/<script|<img/);
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('<strong>b</strong>');
		expect(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<table>');
	});

	it('drops unsafe links and images but keeps their text', () => {
		expect(renderMarkdown('[点这里](javascript:alert(1))')).toBe('<p>点这里</p>\n');
		expect(renderMarkdown('[帮助](/learn)')).toContain('<a href="/learn" rel="noopener noreferrer">帮助</a>');
		expect(renderMarkdown('![x](https://evil.example/p.png)')).toBe('<p>x</p>\n');
	});

	it('numbers fill-in blanks', () => {
		expect(renderStem('客户投诉多由 ___ 引起，约占 ___。')).toContain('<span class="blank">（2）</span>');
	});
});

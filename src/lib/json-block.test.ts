import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDataBlock } from './json-block';

// What a browser takes as the block's text: everything up to the first `</script`.
const blockText = (html: string) => {
	const open = html.indexOf('>') + 1;
	return html.slice(open, html.toLowerCase().indexOf('</script', open));
};

describe('jsonDataBlock', () => {
	it('names the block and holds the value', () => {
		const html = jsonDataBlock('exam-client', { open: true, n: 3 });
		expect(html.startsWith('<script type="application/json" data-exam-client>')).toBe(true);
		expect(JSON.parse(blockText(html))).toEqual({ open: true, n: 3 });
	});

	it('cannot be closed or commented out by any text in the value (property)', () => {
		const risky = fc.constantFrom(
			'</script>',
			'</SCRIPT >',
			'<!--',
			'-->',
			'<',
			'\u2028',
			'&quot;'
		);
		const text = fc.array(fc.oneof(risky, fc.string()), { maxLength: 6 }).map((a) => a.join(''));
		fc.assert(
			fc.property(fc.dictionary(text, text), fc.array(text), (record, list) => {
				const value = { record, list };
				const html = jsonDataBlock('x', value);
				const inside = blockText(html);
				expect(inside).not.toContain('<');
				expect(JSON.parse(inside)).toEqual(value);
				expect(html.endsWith(`${inside}</script>`)).toBe(true);
			})
		);
	});
});

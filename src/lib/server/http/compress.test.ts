import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress, GZIP_IN_LINE_MAX_BYTES } from './compress';

const asks = (encoding = 'gzip, deflate, br') =>
	new Request('http://localhost/', { headers: { 'accept-encoding': encoding } });
const page = (text: string, type = 'text/html; charset=utf-8', status = 200) =>
	new Response(text, { status, headers: { 'content-type': type } });
// Text that compresses but not to nothing: numbered lines.
const text = (bytes: number) => {
	let s = '';
	for (let i = 0; s.length < bytes; i++) s += `<p>第 ${i} 行 line ${i * 7919}</p>\n`;
	return s.slice(0, bytes);
};

describe('compress', () => {
	it.each([
		['a page compressed in line', 64 * 1024],
		['an export compressed off the event loop', GZIP_IN_LINE_MAX_BYTES + 4096]
	])('%s arrives whole, gzipped, marked as varying by encoding', async (_, size) => {
		const body = text(size);
		const r = await compress(asks(), page(body, 'text/csv; charset=utf-8'));
		expect(r.headers.get('content-encoding')).toBe('gzip');
		expect(r.headers.get('vary')).toContain('Accept-Encoding');
		expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const raw = new Uint8Array(await r.arrayBuffer());
		expect(raw.byteLength).toBeLessThan(Buffer.byteLength(body) / 2);
		expect(gunzipSync(raw).toString()).toBe(body);
	});

	it('keeps the status of the response it compresses', async () => {
		const r = await compress(asks(), page(text(4096), 'text/html', 404));
		expect(r.status).toBe(404);
		expect(gunzipSync(new Uint8Array(await r.arrayBuffer())).toString()).toBe(text(4096));
	});

	it('leaves alone what a client cannot take or what is not worth it', async () => {
		const big = text(8192);
		for (const [request, body, type] of [
			[asks('identity'), big, 'text/html'],
			[new Request('http://localhost/'), big, 'text/html'],
			[asks(), big, 'image/svg+xml'],
			[asks(), '<p>short</p>', 'text/html']
		] as const) {
			const r = await compress(request, page(body, type));
			expect(r.headers.get('content-encoding')).toBeNull();
			expect(await r.text()).toBe(body);
		}
	});
});

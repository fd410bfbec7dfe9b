import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compress, COMPRESS_IN_LINE_MAX_BYTES } from './compress';

const asks = (encoding = 'gzip, deflate') =>
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
		['an export compressed off the event loop', COMPRESS_IN_LINE_MAX_BYTES + 4096]
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

	it.each([
		['a page compressed in line', 64 * 1024],
		['an export compressed off the event loop', COMPRESS_IN_LINE_MAX_BYTES + 4096]
	])('%s is sent in brotli to a browser that offers it, smaller than gzip', async (_, size) => {
		const body = text(size);
		const r = await compress(asks('gzip, deflate, br, zstd'), page(body));
		expect(r.headers.get('content-encoding')).toBe('br');
		expect(r.headers.get('vary')).toContain('Accept-Encoding');
		const raw = new Uint8Array(await r.arrayBuffer());
		expect(brotliDecompressSync(raw).toString()).toBe(body);
		const gz = await compress(asks(), page(body));
		expect(raw.byteLength).toBeLessThan((await gz.arrayBuffer()).byteLength);
	});

	it.each([
		['gzip, deflate, br, zstd', 'br'],
		['br;q=1.0, gzip;q=0.8', 'br'],
		['gzip, br;q=0', 'gzip'],
		['GZIP', 'gzip'],
		['deflate, gzip ; q=0.5', 'gzip'],
		['*', 'br'],
		['gzip;q=0, *', 'br'],
		['br;q=0, *;q=0.1', 'gzip'],
		['br;q=0, gzip;q=0, *', null],
		['identity', null],
		['deflate', null],
		['', null],
		[null, null]
	])('Accept-Encoding %j is answered with %j', (header, expected) => {
		expect(chooseEncoding(header)).toBe(expected);
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
			[asks('gzip;q=0, br;q=0'), big, 'text/html'],
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

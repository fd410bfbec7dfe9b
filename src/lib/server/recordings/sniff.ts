// What a recording is, judged by its bytes, never by its name or Content-Type: WebM (Matroska
// EBML, what Chromium's and Firefox's MediaRecorder write) or Ogg (Opus/Vorbis, Safari/Firefox).
// Refuses executables, HTML/SVG/XML and anything else; measures the duration by walking the
// container (WebM clusters and block timecodes; Ogg page granule positions); a file whose last
// element or page runs past its end is truncated. Pure.

export type Container = 'webm' | 'ogg';
export type SniffRefusal = 'rec_empty' | 'rec_executable' | 'rec_markup' | 'rec_not_audio';

/** Classifies the first bytes of an upload (the first chunk of a recording). */
export function sniffStart(
	head: Uint8Array
): { ok: true; container: Container } | { ok: false; code: SniffRefusal } {
	if (head.length === 0) return { ok: false, code: 'rec_empty' };
	const b = (i: number) => head[i] ?? -1;
	if (b(0) === 0x1a && b(1) === 0x45 && b(2) === 0xdf && b(3) === 0xa3)
		return { ok: true, container: 'webm' };
	if (b(0) === 0x4f && b(1) === 0x67 && b(2) === 0x67 && b(3) === 0x53)
		return { ok: true, container: 'ogg' };
	// MZ (Windows PE), ELF, Mach-O (both endians, fat), shebang scripts, Java class files.
	if (
		(b(0) === 0x4d && b(1) === 0x5a) ||
		(b(0) === 0x7f && b(1) === 0x45 && b(2) === 0x4c && b(3) === 0x46)
	)
		return { ok: false, code: 'rec_executable' };
	const magic32 = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
	if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic32))
		return { ok: false, code: 'rec_executable' };
	if (b(0) === 0x23 && b(1) === 0x21) return { ok: false, code: 'rec_executable' };
	const text = new TextDecoder('utf-8', { fatal: false })
		.decode(head.subarray(0, 512))
		.replace(/^\uFEFF/, '')
		.trimStart()
		.toLowerCase();
	if (/^<(!doctype|html|svg|\?xml|script|body|head|iframe|!--)/.test(text) || text.startsWith('<'))
		return { ok: false, code: 'rec_markup' };
	return { ok: false, code: 'rec_not_audio' };
}

export type Inspection =
	| { ok: true; container: Container; durationMs: number }
	| {
			ok: false;
			code: SniffRefusal | 'rec_truncated' | 'rec_no_audio';
			readable?: { bytes: number; durationMs: number };
	  };

/** Reads an EBML variable-length integer at `at`. `keepMarker` for element ids. */
function vint(
	buf: Uint8Array,
	at: number,
	keepMarker: boolean
): { value: number; length: number; unknown: boolean } | null {
	const first = buf[at];
	if (first === undefined || first === 0) return null;
	let length = 1;
	while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
	if (length > 8 || at + length > buf.length) return null;
	let value = keepMarker ? first : first & (0xff >> length);
	let allOnes = (first & (0xff >> length)) === 0xff >> length;
	for (let i = 1; i < length; i++) {
		value = value * 256 + buf[at + i];
		if (buf[at + i] !== 0xff) allOnes = false;
	}
	return { value, length, unknown: !keepMarker && allOnes };
}

const EBML = 0x1a45dfa3,
	SEGMENT = 0x18538067,
	CLUSTER = 0x1f43b675,
	TIMECODE = 0xe7,
	SIMPLEBLOCK = 0xa3,
	BLOCKGROUP = 0xa0,
	BLOCK = 0xa1,
	INFO = 0x1549a966,
	TIMECODESCALE = 0x2ad7b1,
	TRACKS = 0x1654ae6b,
	DOCTYPE = 0x4282;
// Masters we walk into (their children follow inline); everything else is skipped by its size.
const MASTERS = new Set([SEGMENT, CLUSTER, BLOCKGROUP, INFO]);

function inspectWebm(buf: Uint8Array): Inspection {
	let at = 0;
	let good = 0;
	let docType = '';
	let scale = 1_000_000; // ns per timecode unit
	let clusterTime = 0;
	let first: number | null = null;
	let last = 0;
	let tracks = false;
	let blocks = 0;
	let sawHeader = false;
	while (at < buf.length) {
		// A recording cut off mid-element: what reads up to the last whole element (a closed tab).
		const truncated = (): Inspection => ({
			ok: false,
			code: 'rec_truncated',
			readable:
				first !== null && tracks && good > 0
					? { bytes: good, durationMs: Math.round(((last - first) * scale) / 1e6) + 20 }
					: undefined
		});
		const id = vint(buf, at, true);
		const size = id && vint(buf, at + id.length, false);
		if (!id || !size) return truncated();
		const dataAt = at + id.length + size.length;
		if (!sawHeader) {
			if (id.value !== EBML || size.unknown || dataAt + size.value > buf.length)
				return { ok: false, code: sawHeader ? 'rec_truncated' : 'rec_not_audio' };
			// DocType inside the header.
			let h = dataAt;
			while (h < dataAt + size.value) {
				const hid = vint(buf, h, true);
				const hs = hid && vint(buf, h + hid.length, false);
				if (!hid || !hs) break;
				const hd = h + hid.length + hs.length;
				if (hid.value === DOCTYPE)
					docType = new TextDecoder().decode(buf.subarray(hd, hd + hs.value));
				h = hd + hs.value;
			}
			if (docType !== 'webm' && docType !== 'matroska') return { ok: false, code: 'rec_not_audio' };
			sawHeader = true;
			at = dataAt + size.value;
			continue;
		}
		if (MASTERS.has(id.value)) {
			at = dataAt; // walk into it (size may be unknown, as MediaRecorder writes it)
			continue;
		}
		if (size.unknown || dataAt + size.value > buf.length) return truncated();
		const readUint = () => {
			let v = 0;
			for (let i = 0; i < size.value; i++) v = v * 256 + buf[dataAt + i];
			return v;
		};
		if (id.value === TIMECODESCALE) scale = readUint() || scale;
		else if (id.value === TRACKS) tracks = true;
		else if (id.value === TIMECODE) clusterTime = readUint();
		else if (id.value === SIMPLEBLOCK || id.value === BLOCK) {
			const track = vint(buf, dataAt, false);
			if (!track || size.value < track.length + 3) return truncated();
			const rel = (buf[dataAt + track.length] << 8) | buf[dataAt + track.length + 1];
			const t = clusterTime + (rel & 0x8000 ? rel - 0x10000 : rel);
			if (first === null) first = t;
			last = Math.max(last, t);
			blocks++;
		}
		at = dataAt + size.value;
		good = at;
	}
	if (!sawHeader) return { ok: false, code: 'rec_not_audio' };
	if (!tracks || blocks === 0 || first === null) return { ok: false, code: 'rec_no_audio' };
	// + one Opus frame (20 ms) for the last block's own length.
	return {
		ok: true,
		container: 'webm',
		durationMs: Math.round(((last - first) * scale) / 1e6) + 20
	};
}

function inspectOgg(buf: Uint8Array): Inspection {
	let at = 0;
	let granule = 0;
	let rate = 48000;
	let preSkip = 0;
	let pages = 0;
	while (at < buf.length) {
		if (at + 27 > buf.length) return { ok: false, code: 'rec_truncated' };
		if (!(buf[at] === 0x4f && buf[at + 1] === 0x67 && buf[at + 2] === 0x67 && buf[at + 3] === 0x53))
			return { ok: false, code: pages ? 'rec_truncated' : 'rec_not_audio' };
		const segments = buf[at + 26];
		if (at + 27 + segments > buf.length) return { ok: false, code: 'rec_truncated' };
		let body = 0;
		for (let i = 0; i < segments; i++) body += buf[at + 27 + i];
		const dataAt = at + 27 + segments;
		if (dataAt + body > buf.length) return { ok: false, code: 'rec_truncated' };
		const view = new DataView(buf.buffer, buf.byteOffset + at, 27);
		const g = Number(view.getBigInt64(6, true));
		if (pages === 0) {
			const head = new TextDecoder().decode(buf.subarray(dataAt, dataAt + 8));
			if (head === 'OpusHead') preSkip = buf[dataAt + 10] | (buf[dataAt + 11] << 8);
			else if (head.slice(1, 7) === 'vorbis')
				rate = new DataView(buf.buffer, buf.byteOffset + dataAt).getUint32(12, true);
			else return { ok: false, code: 'rec_not_audio' };
		}
		if (g > 0) granule = g;
		pages++;
		at = dataAt + body;
	}
	if (pages < 2) return { ok: false, code: 'rec_no_audio' };
	return {
		ok: true,
		container: 'ogg',
		durationMs: Math.max(0, Math.round(((granule - preSkip) / rate) * 1000))
	};
}

/** Inspects a whole recording: its container by content, its duration, its completeness. */
export function inspectRecording(buf: Uint8Array): Inspection {
	const start = sniffStart(buf.subarray(0, 512));
	if (!start.ok) return start;
	return start.container === 'webm' ? inspectWebm(buf) : inspectOgg(buf);
}

/**
 * Call transcripts: WebVTT with voice spans, and the plain dialogue script used in case files.
 * Pure functions: no file system.
 *
 * WebVTT: one cue per turn, payload `<v agent>…` or `<v customer>…` (the closing `</v>` is
 * optional; 坐席/客服 and 客户 are accepted as voice names). The cue id, when numeric, is the
 * turn number. A `NOTE 客户挂断` or `NOTE 坐席挂断` block records who hung up first.
 *
 * Script (the body of `content/cases/<slug>/case.md`): one turn per line, `坐席：…` or `客户：…`
 * (`客服：` is accepted for the agent, `:` for `：`). Marker lines in square brackets:
 * `[振铃 3]` rings before pick-up, `[停顿 1.5]` a pause in seconds before the next turn,
 * `[打断]` the next turn cuts in with no pause, `[客户挂断]` / `[坐席挂断]` who ended the call.
 * Blank lines and markdown headings are ignored.
 */

export type Speaker = 'agent' | 'customer';

export interface Turn {
	/** 1-based turn number (the n-th `坐席：`/`客户：` line of the script, or the n-th cue). */
	line: number;
	speaker: Speaker;
	text: string;
	/** Seconds; null when the transcript has no timings (plain script). */
	start: number | null;
	end: number | null;
}

export interface Transcript {
	turns: Turn[];
	/** Who hung up first, when the transcript says so. */
	hungUpFirst: Speaker | null;
}

export class TranscriptError extends Error {
	constructor(
		readonly sourceLine: number,
		readonly reason: string
	) {
		super(`line ${sourceLine}: ${reason}`);
	}
}

const VOICES: Record<string, Speaker> = {
	agent: 'agent',
	坐席: 'agent',
	客服: 'agent',
	customer: 'customer',
	客户: 'customer'
};

const HANG_UP = /^(客户|坐席)挂断$/;

// ---------------------------------------------------------------------------------------------
// WebVTT

const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

/** `01:02.345` or `00:01:02.345` → seconds. */
export function parseTimestamp(value: string): number | null {
	const m = TIMESTAMP.exec(value.trim());
	if (!m) return null;
	const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 + Number(m[4]);
	return ms / 1000;
}

/** Seconds → `hh:mm:ss.mmm`. */
export function formatTimestamp(seconds: number): string {
	const ms = Math.round(seconds * 1000);
	const h = Math.floor(ms / 3_600_000);
	const m = Math.floor(ms / 60_000) % 60;
	const s = Math.floor(ms / 1000) % 60;
	const pad = (n: number, w = 2) => String(n).padStart(w, '0');
	return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

function decodeEntities(text: string): string {
	return text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&nbsp;/g, ' ')
		.replace(/&amp;/g, '&');
}

function encodeEntities(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Parses WebVTT into turns. Cues without a known voice span are an error. */
export function parseVtt(source: string): Transcript {
	const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
		throw new TranscriptError(1, 'a WebVTT file must start with `WEBVTT`');
	}
	const turns: Turn[] = [];
	let hungUpFirst: Speaker | null = null;
	let i = 1;
	while (i < lines.length) {
		if (lines[i].trim() === '') {
			i++;
			continue;
		}
		const blockStart = i;
		const block: string[] = [];
		while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);

		if (/^NOTE(?:\s|$)/.test(block[0])) {
			const note = block
				.join(' ')
				.replace(/^NOTE\s*/, '')
				.trim();
			const hang = HANG_UP.exec(note);
			if (hang && hungUpFirst === null) hungUpFirst = VOICES[hang[1]];
			continue;
		}
		if (/^(?:STYLE|REGION)(?:\s|$)/.test(block[0])) continue;

		const timingAt = block.findIndex((l) => l.includes('-->'));
		if (timingAt < 0 || timingAt > 1) {
			throw new TranscriptError(blockStart + 1, 'a cue needs a `start --> end` timing line');
		}
		const [from, rest] = block[timingAt].split('-->');
		const start = parseTimestamp(from);
		const end = parseTimestamp(rest.trim().split(/\s+/)[0] ?? '');
		if (start === null || end === null || end < start) {
			throw new TranscriptError(blockStart + timingAt + 1, 'bad cue timing');
		}
		const payload = block.slice(timingAt + 1).join('\n');
		const voice = /<v(?:\.[\w.-]+)?\s+([^>]+)>/.exec(payload);
		const speaker = voice ? VOICES[voice[1].trim()] : undefined;
		if (!speaker) {
			throw new TranscriptError(
				blockStart + timingAt + 2,
				'a cue needs a voice span `<v agent>` or `<v customer>`'
			);
		}
		const text = decodeEntities(payload.replace(/<[^>]*>/g, ''))
			.replace(/\s*\n\s*/g, '')
			.trim();
		const id = timingAt === 1 ? Number(block[0].trim()) : NaN;
		turns.push({
			line: Number.isInteger(id) && id > 0 ? id : turns.length + 1,
			speaker,
			text,
			start,
			end
		});
	}
	return { turns, hungUpFirst };
}

/** Writes WebVTT: cue ids are turn numbers; the hang-up, if known, is a NOTE after the last cue. */
export function formatVtt(transcript: Transcript): string {
	const out = ['WEBVTT', ''];
	for (const t of transcript.turns) {
		if (t.start === null || t.end === null) throw new Error(`turn ${t.line} has no timing`);
		out.push(String(t.line), `${formatTimestamp(t.start)} --> ${formatTimestamp(t.end)}`);
		out.push(`<v ${t.speaker}>${encodeEntities(t.text)}</v>`, '');
	}
	if (transcript.hungUpFirst) {
		out.push(`NOTE ${transcript.hungUpFirst === 'agent' ? '坐席' : '客户'}挂断`, '');
	}
	return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Plain dialogue script

export type ScriptItem =
	| { kind: 'turn'; turn: Turn; sourceLine: number }
	| { kind: 'pause'; seconds: number; sourceLine: number }
	| { kind: 'ring'; count: number; sourceLine: number }
	| { kind: 'interrupt'; sourceLine: number }
	| { kind: 'hang-up'; by: Speaker; sourceLine: number };

const TURN_LINE = /^(坐席|客服|客户)\s*[：:]\s*(.+)$/;
const MARKER_LINE = /^\[\s*([^\]\s]+)(?:\s+([\d.]+))?\s*\]$/;

/**
 * Parses a dialogue script. `firstLine` is the file line of the script's first line, so
 * errors point into the whole file.
 */
export function parseScript(source: string, firstLine = 1): ScriptItem[] {
	const items: ScriptItem[] = [];
	let turnNo = 0;
	source.split(/\r\n|\r|\n/).forEach((raw, i) => {
		const sourceLine = firstLine + i;
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) return;
		const turn = TURN_LINE.exec(line);
		if (turn) {
			const speaker = VOICES[turn[1]];
			items.push({
				kind: 'turn',
				sourceLine,
				turn: { line: ++turnNo, speaker, text: turn[2].trim(), start: null, end: null }
			});
			return;
		}
		const marker = MARKER_LINE.exec(line);
		if (!marker)
			throw new TranscriptError(sourceLine, 'expected `坐席：…`, `客户：…` or a [marker]');
		const [, name, arg] = marker;
		const num = arg === undefined ? NaN : Number(arg);
		const hang = HANG_UP.exec(name);
		if (hang && arg === undefined) items.push({ kind: 'hang-up', by: VOICES[hang[1]], sourceLine });
		else if (name === '停顿' && num >= 0) items.push({ kind: 'pause', seconds: num, sourceLine });
		else if (name === '振铃' && Number.isInteger(num) && num > 0)
			items.push({ kind: 'ring', count: num, sourceLine });
		else if (name === '打断' && arg === undefined) items.push({ kind: 'interrupt', sourceLine });
		else throw new TranscriptError(sourceLine, `unknown marker [${line.slice(1, -1).trim()}]`);
	});
	return items;
}

/** The transcript of a script: its turns (untimed) and the first hang-up marker. */
export function scriptTranscript(items: ScriptItem[]): Transcript {
	const turns: Turn[] = [];
	let hungUpFirst: Speaker | null = null;
	for (const item of items) {
		if (item.kind === 'turn') turns.push(item.turn);
		else if (item.kind === 'hang-up' && hungUpFirst === null) hungUpFirst = item.by;
	}
	return { turns, hungUpFirst };
}

/** Convenience: plain `坐席：…` / `客户：…` text straight to a transcript. */
export function parsePlainTranscript(source: string): Transcript {
	return scriptTranscript(parseScript(source));
}

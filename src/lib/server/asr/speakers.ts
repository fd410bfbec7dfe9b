// Who said what in a machine transcript. The recording is one mixed channel (microphone plus the
// customer's clips), and speech-to-text does not tell voices apart, so speakers are inferred:
// - self-paced calls: the recording knows when each customer clip started (its beats) and the
//   content knows how long each clip is, so a segment heard inside a clip is the customer's;
// - otherwise (an examiner plays the customer live): a segment that reads like one of the
//   scenario's customer lines is the customer's.
// Everything else is the agent's. Consecutive segments of one speaker make one turn, as a person
// would transcribe it (the phrase checker looks for the greeting in the agent's first turn).
// Pure.
import type { TranscriptTurn } from '../recordings/schema';
import type { AsrSegment } from './client';

export type CustomerLine = {
	text: string;
	/** When the clip started playing in this recording (ms), when it was played. */
	at: number | null;
	/** The clip's length (s), when known. */
	seconds: number | null;
};

/** Grace after a clip ends: segment times are approximate. */
const TAIL_MS = 400;

/** Han characters, letters and digits only: punctuation and spacing differ between a script
 *  and what a recogniser writes. */
const normalise = (s: string) => [...s.toLowerCase()].filter((c) => /[\p{L}\p{N}]/u.test(c));

function bigrams(s: string): string[] {
	const c = normalise(s);
	return c.length < 2 ? c : c.slice(1).map((x, i) => c[i] + x);
}

/** Share of the segment's character pairs that occur in the line (0…1). */
export function resemblance(segment: string, line: string): number {
	const a = bigrams(segment);
	if (a.length === 0) return 0;
	const b = new Set(bigrams(line));
	return a.filter((x) => b.has(x)).length / a.length;
}

function speakerOf(seg: AsrSegment, lines: CustomerLine[]): TranscriptTurn['speaker'] {
	const timed = lines.filter((l) => l.at !== null && l.seconds !== null);
	if (timed.length && seg.start !== null) {
		const mid = ((seg.start + (seg.end ?? seg.start)) / 2) * 1000;
		return timed.some((l) => mid >= l.at! && mid <= l.at! + l.seconds! * 1000 + TAIL_MS)
			? 'customer'
			: 'agent';
	}
	// Short replies ("好的", "嗯") say nothing about the speaker: the agent's by default.
	if (bigrams(seg.text).length >= 4 && lines.some((l) => resemblance(seg.text, l.text) >= 0.6))
		return 'customer';
	return 'agent';
}

const ENDS_CLAUSE = /[，。！？；、,.!?;…~～]$/u;
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export function turnsFromSegments(segments: AsrSegment[], lines: CustomerLine[]): TranscriptTurn[] {
	const turns: TranscriptTurn[] = [];
	for (const seg of segments) {
		const text = seg.text.trim();
		if (!text) continue;
		const speaker = speakerOf(seg, lines);
		const last = turns.at(-1);
		if (last && last.speaker === speaker) {
			// A segment break is a pause: keep it as a clause boundary for the phrase checker.
			last.text += (ENDS_CLAUSE.test(last.text) ? '' : '，') + text;
			last.end = round2(seg.end ?? seg.start) ?? last.end;
		} else turns.push({ speaker, text, start: round2(seg.start), end: round2(seg.end) });
	}
	return turns;
}

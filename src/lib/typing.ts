// The typing test's pure parts, shared by the browser and the server.
// Speed counts COMMITTED characters: with a Chinese IME the keystrokes of a pinyin composition
// are not text; only what compositionend (or a plain, non-composing input) commits counts.

export const TYPING_LINE_CPM = 80;

/** Whitespace is never part of a passage's text for counting. */
export const countable = (s: string) => [...s.replace(/\s+/g, '')];

/** Length of the longest common subsequence: characters typed in the right order, so one
 *  skipped or extra character does not make every later one wrong. */
export function lcsLength(a: string[], b: string[]): number {
	if (!a.length || !b.length) return 0;
	let prev = new Array<number>(b.length + 1).fill(0);
	for (let i = 1; i <= a.length; i++) {
		const cur = new Array<number>(b.length + 1).fill(0);
		for (let j = 1; j <= b.length; j++)
			cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
		prev = cur;
	}
	return prev[b.length];
}

export type TypingMetrics = {
	committedChars: number;
	correctChars: number;
	/** Correct characters per minute (net speed): what is measured against the 80 line. */
	cpm: number;
	/** correct / committed, 0…1. */
	accuracy: number;
	meetsLine: boolean;
};

export function typingMetrics(passage: string, typed: string, durationMs: number): TypingMetrics {
	const want = countable(passage);
	const got = countable(typed);
	const correct = lcsLength(want, got);
	const minutes = Math.max(durationMs, 1000) / 60_000;
	const cpm = Math.round((correct / minutes) * 10) / 10;
	const accuracy = got.length ? Math.round((correct / got.length) * 1000) / 1000 : 0;
	return {
		committedChars: got.length,
		correctChars: correct,
		cpm,
		accuracy,
		meetsLine: cpm >= TYPING_LINE_CPM
	};
}

/** Tracks the committed text of an input through IME composition. Feed it the DOM events'
 *  data; it ignores the uncommitted composition string and keystrokes. */
export class CommitTracker {
	committed = '';
	composing = false;
	firstCommitAt: number | null = null;
	lastCommitAt: number | null = null;

	compositionStart() {
		this.composing = true;
	}

	/** `value` is the field's value after the composition was committed. */
	compositionEnd(value: string, now: number) {
		this.composing = false;
		this.commit(value, now);
	}

	/** An input event: counts only when not composing (direct letters, digits, punctuation, deletes). */
	input(value: string, isComposing: boolean, now: number) {
		if (isComposing || this.composing) return;
		this.commit(value, now);
	}

	private commit(value: string, now: number) {
		if (value === this.committed) return;
		if (this.firstCommitAt === null && countable(value).length > 0) this.firstCommitAt = now;
		this.committed = value;
		this.lastCommitAt = now;
	}

	get elapsedMs(): number {
		return this.firstCommitAt === null || this.lastCommitAt === null
			? 0
			: this.lastCommitAt - this.firstCommitAt;
	}
}

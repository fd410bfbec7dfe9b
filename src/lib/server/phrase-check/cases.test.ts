/**
 * The checker against the case recordings (content/cases/<slug>/): the generated files agree with
 * case.md, and the checker's hits agree with the graders' reference annotations.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { checkTranscript } from './check';
import { parseCaseFile, QUALITIES, type CaseFile } from './case-file';
import { CONTENT_DIR, RULES } from './fixtures';
import { CALL_TYPES } from './rules';
import { parseVtt, type Transcript } from './vtt';

const CASES_DIR = `${CONTENT_DIR}cases/`;
/** Typically under 400 KB (about 130 s at 24 kbps); the hard cap leaves room for tool versions. */
const MAX_OGG_BYTES = 420 * 1024;

interface LoadedCase {
	slug: string;
	file: CaseFile;
	vtt: Transcript;
	ogg: Buffer;
}

const cases: LoadedCase[] = readdirSync(CASES_DIR, { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.map((d) => d.name)
	.sort()
	.map((slug) => {
		const dir = `${CASES_DIR}${slug}/`;
		return {
			slug,
			file: parseCaseFile(readFileSync(`${dir}case.md`, 'utf8'), `content/cases/${slug}/case.md`),
			vtt: parseVtt(readFileSync(`${dir}transcript.vtt`, 'utf8')),
			ogg: readFileSync(`${dir}call.ogg`)
		};
	});

/** Duration of an Ogg Opus file: last page's granule position minus the pre-skip, at 48 kHz. */
function opusSeconds(ogg: Buffer): number {
	const head = ogg.indexOf('OpusHead');
	const preSkip = ogg.readUInt16LE(head + 10);
	const last = ogg.lastIndexOf('OggS');
	const granule = Number(ogg.readBigInt64LE(last + 6));
	return (granule - preSkip) / 48000;
}

const ruleKind = new Map(RULES.rules.map((r) => [r.id, r.kind]));
const key = (line: number, rule: string) => `${line}:${rule}`;

describe('content/cases: the set', () => {
	it('has at least 8 cases covering every call type and quality, two exemplary or more', () => {
		expect(cases.length).toBeGreaterThanOrEqual(8);
		const types = new Set(cases.map((c) => c.file.frontmatter.callType));
		expect([...types].sort()).toEqual([...CALL_TYPES].sort());
		const qualities = cases.map((c) => c.file.frontmatter.quality);
		for (const q of QUALITIES) expect(qualities).toContain(q);
		expect(qualities.filter((q) => q === 'exemplary').length).toBeGreaterThanOrEqual(2);
	});

	it('has no stray folders', () => {
		for (const c of cases) {
			const dir = `${CASES_DIR}${c.slug}/`;
			expect(readdirSync(dir).sort()).toEqual(['call.ogg', 'case.md', 'transcript.vtt']);
		}
	});
});

describe.each(cases.map((c) => [c.slug, c] as const))('content/cases/%s', (_slug, c) => {
	const { frontmatter: fm, transcript: script } = c.file;

	it('has a transcript.vtt that matches the script turn by turn', () => {
		expect(c.vtt.turns.map((t) => [t.line, t.speaker, t.text])).toEqual(
			script.turns.map((t) => [t.line, t.speaker, t.text])
		);
		expect(c.vtt.hungUpFirst).toBe(script.hungUpFirst);
		expect(script.hungUpFirst).not.toBeNull();
		let previousEnd = 0;
		for (const t of c.vtt.turns) {
			expect(t.start).not.toBeNull();
			expect(t.start ?? 0).toBeGreaterThanOrEqual(previousEnd);
			expect(t.end ?? 0).toBeGreaterThan(t.start ?? 0);
			previousEnd = t.end ?? 0;
		}
	});

	it('has a small call.ogg whose length matches the last cue (plus the hang-up tone)', () => {
		expect(c.ogg.subarray(0, 4).toString()).toBe('OggS');
		expect(c.ogg.includes('OpusHead')).toBe(true);
		expect(c.ogg.length).toBeLessThan(MAX_OGG_BYTES);
		const lastEnd = c.vtt.turns[c.vtt.turns.length - 1].end ?? 0;
		const tail = opusSeconds(c.ogg) - lastEnd;
		expect(tail).toBeGreaterThanOrEqual(0);
		expect(tail).toBeLessThan(1.5);
	});

	it('has generated annotation times equal to the cue times', () => {
		const cue = new Map(c.vtt.turns.map((t) => [t.line, t]));
		for (const a of fm.annotations) {
			expect(a.start, `annotation on line ${a.line}`).toBe(cue.get(a.line)?.start);
			expect(a.end, `annotation on line ${a.line}`).toBe(cue.get(a.to ?? a.line)?.end);
		}
	});

	it('names existing phrase rules of the right kind in its annotations', () => {
		for (const a of fm.annotations) {
			if (a.category === 'forbidden-expression')
				expect(ruleKind.get(a.rule ?? '')).toBe('forbidden');
			else if (a.rule) expect(ruleKind.get(a.rule)).toBe('required-action');
		}
	});

	it('is classified as its call type, with prompts and an analysis for graders', () => {
		expect(fm.referenceClassification).toBe(fm.callType);
		expect(fm.prompts.length).toBeGreaterThanOrEqual(3);
		expect(fm.referenceAnalysis.length).toBeGreaterThan(100);
		if (fm.quality === 'exemplary') {
			expect(fm.annotations.every((a) => a.category === 'good-practice')).toBe(true);
		} else {
			expect(fm.annotations.some((a) => a.category !== 'good-practice')).toBe(true);
		}
	});

	it('reports exactly the missing required actions the annotations name', () => {
		const reported = checkTranscript(c.vtt, RULES, { callType: fm.callType })
			.filter((h) => h.kind === 'required-action')
			.map((h) => h.ruleId)
			.sort();
		const expected = [
			...new Set(
				fm.annotations
					.filter((a) => a.rule && ruleKind.get(a.rule) === 'required-action')
					.map((a) => a.rule ?? '')
			)
		].sort();
		expect(reported).toEqual(expected);
	});
});

describe('content/cases: forbidden-expression precision and recall', () => {
	it('agrees with the reference annotations (precision and recall ≥ 0.8)', () => {
		let tp = 0;
		let reportedTotal = 0;
		let expectedTotal = 0;
		const rows: string[] = [];
		for (const c of cases) {
			const expected = new Set(
				c.file.frontmatter.annotations
					.filter((a) => a.category === 'forbidden-expression')
					.map((a) => key(a.line, a.rule ?? ''))
			);
			const reported = new Set(
				checkTranscript(c.vtt, RULES, { callType: c.file.frontmatter.callType })
					.filter((h) => h.kind === 'forbidden')
					.map((h) => key(h.line, h.ruleId))
			);
			const hit = [...reported].filter((k) => expected.has(k));
			tp += hit.length;
			reportedTotal += reported.size;
			expectedTotal += expected.size;
			const extra = [...reported].filter((k) => !expected.has(k));
			const missed = [...expected].filter((k) => !reported.has(k));
			rows.push(
				`${c.slug.padEnd(36)} expected ${String(expected.size).padStart(2)}  reported ${String(reported.size).padStart(2)}` +
					(extra.length ? `  false+ ${extra.join(' ')}` : '') +
					(missed.length ? `  missed ${missed.join(' ')}` : '')
			);
		}
		const precision = reportedTotal === 0 ? 1 : tp / reportedTotal;
		const recall = expectedTotal === 0 ? 1 : tp / expectedTotal;
		console.log(
			`${rows.join('\n')}\nforbidden expressions over ${cases.length} cases: ` +
				`precision ${precision.toFixed(3)} (${tp}/${reportedTotal}), recall ${recall.toFixed(3)} (${tp}/${expectedTotal})`
		);
		expect(expectedTotal).toBeGreaterThanOrEqual(20);
		expect(precision).toBeGreaterThanOrEqual(0.8);
		expect(recall).toBeGreaterThanOrEqual(0.8);
	});
});

describe('content/cases: files on disk', () => {
	it('keeps every case.md, vtt and ogg together', () => {
		for (const c of cases) {
			for (const f of ['case.md', 'transcript.vtt', 'call.ogg']) {
				const p = `${CASES_DIR}${c.slug}/${f}`;
				expect(existsSync(p) && statSync(p).size > 0, p).toBe(true);
			}
		}
	});
});

/**
 * Rebuilds the case recordings from their scripts:
 *   content/cases/<slug>/case.md  →  call.ogg + transcript.vtt, and the annotation timings
 *   (`start`/`end`) written back into case.md.
 *
 *   npx tsx src/lib/server/cli/generate-case-audio.ts            # every case
 *   npx tsx src/lib/server/cli/generate-case-audio.ts <slug> …   # some cases
 *   npx tsx src/lib/server/cli/generate-case-audio.ts --check    # exit 1 if a VTT or case.md is stale
 *
 * Needs espeak-ng, sox and ffmpeg (libopus). Reproducible: the same case.md gives the same
 * timings, VTT and case.md (and, with the same tool versions, the same Ogg bytes).
 *
 * Timeline: `[振铃 n]` rings first, 0.3 s after pick-up the first turn, 0.5 s between turns
 * (`[停顿 s]` sets the next gap, `[打断]` makes it 0.05 s), and a 1 s busy tone 0.3 s after a
 * `[客户挂断]` / `[坐席挂断]` marker. A VTT cue spans exactly its turn's speech.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
	SPEAKERS,
	concatenate,
	encodeOpus,
	synthesize,
	tone,
	type Part,
	type SpeakerId
} from './speech/tts';
import { parseCaseFile, roundMs, writeAnnotationTimes } from '../phrase-check/case-file';
import { formatVtt, type Turn } from '../phrase-check/vtt';

const CASES_DIR = fileURLToPath(new URL('../../../../content/cases/', import.meta.url));

const LEAD_IN = 0.3;
const TURN_GAP = 0.5;
const INTERRUPT_GAP = 0.05;
const HANG_UP_GAP = 0.3;
const RING_GAP = 0.3;

function speaker(id: string | undefined, fallback: SpeakerId): SpeakerId {
	const value = id ?? fallback;
	if (!(value in SPEAKERS)) {
		throw new Error(`unknown voice ${value}; known: ${Object.keys(SPEAKERS).join(', ')}`);
	}
	return value as SpeakerId;
}

function oggSeconds(file: string): number {
	const out = execFileSync(
		'ffprobe',
		['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
		{ encoding: 'utf8' }
	);
	return Number(out.trim());
}

interface Built {
	vtt: string;
	caseMd: string;
	audioSeconds: number;
	lastCueEnd: number;
}

/** Synthesises one case into `work` (call.wav, call.ogg) and returns the new texts. */
function buildCase(slug: string, work: string): Built {
	const path = join(CASES_DIR, slug, 'case.md');
	const source = readFileSync(path, 'utf8');
	const { frontmatter, script, transcript } = parseCaseFile(
		source,
		`content/cases/${slug}/case.md`
	);
	const voices = {
		agent: SPEAKERS[speaker(frontmatter.voices?.agent, 'agent')],
		customer: SPEAKERS[speaker(frontmatter.voices?.customer, 'customer')]
	};

	const parts: Part[] = [];
	const turnPart = new Map<number, number>(); // turn line → index in parts
	let gap: number | null = null; // pending gap before the next sound
	let started = false;
	const pushGap = (fallback: number) => {
		const seconds = gap ?? fallback;
		if (seconds > 0) parts.push({ silence: seconds });
		gap = null;
	};

	script.forEach((item, i) => {
		switch (item.kind) {
			case 'ring':
				for (let r = 0; r < item.count; r++) {
					parts.push({ wav: tone('ring', join(work, `ring-${i}-${r}.wav`)).wav });
				}
				gap = RING_GAP;
				started = true;
				break;
			case 'pause':
				gap = item.seconds;
				break;
			case 'interrupt':
				gap = INTERRUPT_GAP;
				break;
			case 'hang-up':
				pushGap(HANG_UP_GAP);
				parts.push({ wav: tone('busy', join(work, `busy-${i}.wav`)).wav });
				break;
			case 'turn': {
				pushGap(started ? TURN_GAP : LEAD_IN);
				started = true;
				const clip = synthesize(
					item.turn.text,
					voices[item.turn.speaker],
					join(work, `turn-${item.turn.line}.wav`)
				);
				turnPart.set(item.turn.line, parts.length);
				parts.push({ wav: clip.wav });
				break;
			}
		}
	});

	const wav = join(work, 'call.wav');
	const ogg = join(work, 'call.ogg');
	const { placed } = concatenate(parts, wav);
	encodeOpus(wav, ogg);

	const timed: Turn[] = transcript.turns.map((t) => {
		const p = placed[turnPart.get(t.line) ?? -1];
		return { ...t, start: roundMs(p.start), end: roundMs(p.end) };
	});
	const byLine = new Map(timed.map((t) => [t.line, t]));
	const annotations = frontmatter.annotations.map((a) => ({
		...a,
		start: byLine.get(a.line)?.start ?? 0,
		end: byLine.get(a.to ?? a.line)?.end ?? 0
	}));
	return {
		vtt: formatVtt({ turns: timed, hungUpFirst: transcript.hungUpFirst }),
		caseMd: writeAnnotationTimes(source, annotations),
		audioSeconds: oggSeconds(ogg),
		lastCueEnd: timed[timed.length - 1].end ?? 0
	};
}

function main(args: string[]): number {
	const check = args.includes('--check');
	const wanted = args.filter((a) => !a.startsWith('--'));
	const slugs = readdirSync(CASES_DIR, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(CASES_DIR, d.name, 'case.md')))
		.map((d) => d.name)
		.filter((s) => wanted.length === 0 || wanted.includes(s))
		.sort();
	const unknown = wanted.filter((w) => !slugs.includes(w));
	if (unknown.length > 0) {
		console.error(`no such case: ${unknown.join(', ')}`);
		return 1;
	}

	let stale = 0;
	let failed = 0;
	for (const slug of slugs) {
		const work = mkdtempSync(join(tmpdir(), `case-${slug}-`));
		try {
			let built: Built;
			try {
				built = buildCase(slug, work);
			} catch (e) {
				failed++;
				console.error(e instanceof Error ? e.message : String(e));
				continue;
			}
			const dir = join(CASES_DIR, slug);
			const vttPath = join(dir, 'transcript.vtt');
			const mdPath = join(dir, 'case.md');
			if (check) {
				const same =
					existsSync(vttPath) &&
					readFileSync(vttPath, 'utf8') === built.vtt &&
					readFileSync(mdPath, 'utf8') === built.caseMd &&
					existsSync(join(dir, 'call.ogg'));
				if (!same) stale++;
				console.log(`${same ? 'ok   ' : 'STALE'} ${slug}`);
				continue;
			}
			writeFileSync(vttPath, built.vtt);
			writeFileSync(mdPath, built.caseMd);
			writeFileSync(join(dir, 'call.ogg'), readFileSync(join(work, 'call.ogg')));
			const kb = (readFileSync(join(dir, 'call.ogg')).length / 1024).toFixed(0);
			const tail = built.audioSeconds - built.lastCueEnd;
			console.log(
				`${slug}: ${built.audioSeconds.toFixed(2)} s audio, last cue ends ${built.lastCueEnd.toFixed(3)} s` +
					` (+${tail.toFixed(2)} s hang-up tone), ${kb} KB`
			);
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}
	if (failed > 0) return 1;
	if (check && stale > 0) {
		console.error(`${stale} case(s) out of date: run npm run content:audio`);
		return 1;
	}
	return 0;
}

process.exitCode = main(process.argv.slice(2));

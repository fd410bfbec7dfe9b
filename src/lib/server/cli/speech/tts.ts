/**
 * Small speech toolkit for synthetic call recordings (case recordings, mock-call scenarios).
 *
 * Everything shells out to Debian tools: espeak-ng (speech), sox/soxi (trimming, silence, tones,
 * concatenation, measuring) and ffmpeg (Ogg Opus). Every step works on 16-bit mono PCM at
 * {@link SAMPLE_RATE} and timings are counted in samples, so the same input always gives the same
 * timings (and, with ffmpeg's bitexact flags, the same bytes).
 *
 * Voice: espeak-ng 1.51 as shipped by Debian reads Han characters with its `cmn` voice as
 * English-spelled pinyin ("nin two hao three"); its sibling voice `cmn-latn-pinyin` uses the same
 * Mandarin dictionary and reads them properly, so the profiles use that one. Override with
 * `SPEECH_VOICE=cmn` to compare.
 *
 * Typical use:
 * ```ts
 * const a = synthesize('您好，星联通信……', SPEAKERS.agent, `${dir}/1.wav`);
 * const b = synthesize('我想问一下……', SPEAKERS.customer, `${dir}/2.wav`);
 * const { samples } = concatenate([{ wav: a.wav }, { silence: 0.6 }, { wav: b.wav }], `${dir}/call.wav`);
 * encodeOpus(`${dir}/call.wav`, 'call.ogg');
 * ```
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

/** Sample rate of every intermediate file (espeak-ng's native rate). */
export const SAMPLE_RATE = 22050;

/** Output format of every intermediate file, and a null input at the same rate (-D: no dither,
 * which would add random noise and break reproducibility). */
const PCM = ['-r', String(SAMPLE_RATE), '-c', '1', '-b', '16'];
const NULL_INPUT = ['-D', '-r', String(SAMPLE_RATE), '-c', '1', '-n'];

export interface SpeakerProfile {
	/** espeak-ng voice and variant (`voice+variant`), e.g. `cmn-latn-pinyin` + `f2`. */
	voice: string;
	variant: string;
	/** espeak-ng `-p` pitch 0–99. */
	pitch: number;
	/** espeak-ng `-s` speed, words (here: syllables) per minute. */
	speed: number;
	/** espeak-ng `-a` amplitude 0–200. */
	amplitude: number;
}

const VOICE = process.env.SPEECH_VOICE ?? 'cmn-latn-pinyin';

/** Speaker profiles. Agents are female voices, customers differ in timbre, pitch and pace. */
export const SPEAKERS = {
	/** Calm, friendly agent. */
	agent: { voice: VOICE, variant: 'f2', pitch: 62, speed: 220, amplitude: 110 },
	/** Hurried, flat agent (for poorly handled calls). */
	'agent-impatient': { voice: VOICE, variant: 'f2', pitch: 52, speed: 250, amplitude: 125 },
	/** Ordinary male customer. */
	customer: { voice: VOICE, variant: 'm3', pitch: 38, speed: 210, amplitude: 110 },
	/** Ordinary female customer. */
	'customer-female': { voice: VOICE, variant: 'f4', pitch: 50, speed: 210, amplitude: 110 },
	/** Angry male customer: faster and louder. */
	'customer-angry': { voice: VOICE, variant: 'm3', pitch: 48, speed: 255, amplitude: 170 },
	/** Angry female customer: faster and louder. */
	'customer-angry-female': { voice: VOICE, variant: 'f4', pitch: 60, speed: 255, amplitude: 170 }
} as const satisfies Record<string, SpeakerProfile>;

export type SpeakerId = keyof typeof SPEAKERS;
export const SPEAKER_IDS = Object.keys(SPEAKERS) as SpeakerId[];

function run(cmd: string, args: string[]): string {
	return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const DIGITS = '零幺二三四五六七八九';

/**
 * Rewrites a display line into what the synthesiser should say. Numbers read as codes (phone
 * numbers with hyphens, runs of 5+ digits, and the 4 digits after 工号 or 后四位) are read digit
 * by digit with 1 as 幺; amounts such as 1500 or 4200 stay numbers. `300M` is read 300兆, `GB`
 * as G, and typographic quotes are dropped. The transcript keeps the display text.
 */
export function speakable(text: string): string {
	const digits = (m: string) => [...m].map((c) => (c === '-' ? '，' : DIGITS[Number(c)])).join('');
	return text
		.replace(/(\d+)\s*M(?![A-Za-z])/g, '$1兆')
		.replace(/GB/g, 'G')
		.replace(/\d+(?:-\d+)+|\d{5,}/g, digits)
		.replace(
			/(工号|后四位)(\s*)(\d{3,4})(?!\d)/g,
			(_, k: string, sp: string, d: string) => k + sp + digits(d)
		)
		.replace(/[「」『』“”"]/g, '');
}

/** Length of a wav file in samples (`soxi -s`). */
export function durationSamples(wav: string): number {
	return Number(run('soxi', ['-s', wav]).trim());
}

/** Length of any audio file sox can read, in seconds (`soxi -D`; Ogg Opus included). */
export function durationSeconds(file: string): number {
	return Number(run('soxi', ['-D', file]).trim());
}

export interface Clip {
	wav: string;
	samples: number;
}

/**
 * Speaks one line with a profile into `outWav` (16-bit mono, {@link SAMPLE_RATE}), with the
 * leading and trailing silence trimmed so that a clip starts and ends with the voice.
 */
export function synthesize(text: string, profile: SpeakerProfile, outWav: string): Clip {
	const raw = `${outWav}.raw.wav`;
	run('espeak-ng', [
		'-v',
		`${profile.voice}+${profile.variant}`,
		'-p',
		String(profile.pitch),
		'-s',
		String(profile.speed),
		'-a',
		String(profile.amplitude),
		'-w',
		raw,
		speakable(text)
	]);
	// silence 1 … trims the start; reverse/silence/reverse trims the end.
	run('sox', [
		'-D',
		raw,
		...PCM,
		outWav,
		'silence',
		'1',
		'0.02',
		'-45d',
		'reverse',
		'silence',
		'1',
		'0.02',
		'-45d',
		'reverse'
	]);
	rmSync(raw, { force: true });
	return { wav: outWav, samples: durationSamples(outWav) };
}

/** Seconds → whole samples (the only rounding in the toolkit). */
export function toSamples(seconds: number): number {
	return Math.round(seconds * SAMPLE_RATE);
}

/** Writes `samples` of digital silence. */
export function silence(samples: number, outWav: string): Clip {
	// The rate goes before -n too: sox counts `trim` samples at the input's rate.
	run('sox', [...NULL_INPUT, ...PCM, outWav, 'trim', '0', `${samples}s`]);
	return { wav: outWav, samples };
}

/**
 * Telephone signals: `ring` is one ring-back burst (450 Hz, 1 s on, 1 s off), `busy` the
 * busy tone heard after one side hangs up (two 0.3 s beeps, 1 s in all).
 */
export function tone(kind: 'ring' | 'busy', outWav: string): Clip {
	const [on, off, count] = kind === 'ring' ? [1, 1, 1] : [0.3, 0.2, 2];
	const args = [...NULL_INPUT, ...PCM, outWav];
	args.push('synth', String(on), 'sine', '450', 'vol', '0.25', 'pad', '0', String(off));
	if (count > 1) args.push('repeat', String(count - 1));
	run('sox', args);
	return { wav: outWav, samples: durationSamples(outWav) };
}

export type Part = { wav: string } | { silence: number };

export interface Placed {
	/** First and one-past-last sample of the part in the output. */
	startSample: number;
	endSample: number;
	/** The same in seconds. */
	start: number;
	end: number;
}

/**
 * Concatenates clips and pauses (`{ silence: seconds }`) into `outWav`, returning where each
 * part landed. Positions are computed from sample counts, so they are exact for the output.
 */
export function concatenate(parts: Part[], outWav: string): { placed: Placed[]; samples: number } {
	const inputs: string[] = [];
	const placed: Placed[] = [];
	let at = 0;
	parts.forEach((part, i) => {
		const clip =
			'wav' in part
				? { wav: part.wav, samples: durationSamples(part.wav) }
				: silence(toSamples(part.silence), `${outWav}.sil${i}.wav`);
		if (clip.samples > 0) inputs.push(clip.wav);
		placed.push({
			startSample: at,
			endSample: at + clip.samples,
			start: at / SAMPLE_RATE,
			end: (at + clip.samples) / SAMPLE_RATE
		});
		at += clip.samples;
	});
	run('sox', ['-D', ...inputs, outWav]);
	for (let i = 0; i < parts.length; i++) {
		const sil = `${outWav}.sil${i}.wav`;
		if (existsSync(sil)) rmSync(sil);
	}
	return { placed, samples: at };
}

/**
 * Encodes to Ogg Opus, mono, `kbps` (default 24), through a telephone band-pass (300–3400 Hz).
 * Bitexact flags keep the Ogg serial number and headers stable, so output bytes are reproducible.
 */
export function encodeOpus(wav: string, ogg: string, kbps = 24): void {
	run('ffmpeg', [
		'-nostdin',
		'-loglevel',
		'error',
		'-y',
		'-i',
		wav,
		'-af',
		'highpass=f=300,lowpass=f=3400',
		'-ac',
		'1',
		'-c:a',
		'libopus',
		'-b:a',
		`${kbps}k`,
		'-application',
		'voip',
		'-map_metadata',
		'-1',
		'-fflags',
		'+bitexact',
		'-flags:a',
		'+bitexact',
		ogg
	]);
}

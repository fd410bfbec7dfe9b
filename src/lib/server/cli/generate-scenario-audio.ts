/**
 * Speaks the customer's line of every beat of every mock-call scenario:
 *   content/scenarios/<slug>/scenario.md  →  beats/<beatId>.ogg + beats/index.json
 *
 *   npx tsx src/lib/server/cli/generate-scenario-audio.ts            # every scenario
 *   npx tsx src/lib/server/cli/generate-scenario-audio.ts <slug> …   # some scenarios
 *   npx tsx src/lib/server/cli/generate-scenario-audio.ts --check    # exit 1 if audio is stale
 *   npx tsx src/lib/server/cli/generate-scenario-audio.ts --force    # rebuild even if up to date
 *
 * The voice comes from `persona` (gender, voice.pitch, voice.speed, voice.style). Each clip is
 * mono Ogg Opus at 16 kbit/s through the telephone band, so a line is a few KB per second.
 * beats/index.json records, per beat, the clip length and a hash of what was spoken and how:
 * only beats whose text or voice changed are rebuilt, and `--check` finds stale or missing clips
 * and clips of beats that no longer exist. Needs espeak-ng, sox and ffmpeg (libopus).
 */
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	SAMPLE_RATE,
	SPEAKERS,
	encodeOpus,
	speakable,
	synthesize,
	type SpeakerProfile
} from './speech/tts';
import { parseScenario, type Scenario } from '../scenarios/scenario-schema';

const SCENARIOS_DIR = fileURLToPath(new URL('../../../../content/scenarios/', import.meta.url));
const KBPS = 16;

type Persona = Scenario['persona'];

/** The espeak-ng profile for a persona: the customer presets, shaped by the voice hints. */
export function profileFor(persona: Persona): SpeakerProfile {
	const { pitch, speed, style } = persona.voice;
	const base: SpeakerProfile =
		persona.gender === 'female' ? { ...SPEAKERS['customer-female'] } : { ...SPEAKERS.customer };
	base.pitch += { low: -8, medium: 0, high: 8 }[pitch];
	base.speed = { slow: 165, normal: base.speed, fast: 260 }[speed];
	switch (style) {
		case 'angry':
			base.pitch += 6;
			base.amplitude = 165;
			break;
		case 'hurried':
			base.speed += 15;
			break;
		case 'anxious':
			base.pitch += 4;
			base.speed += 10;
			break;
		case 'cheerful':
			base.pitch += 6;
			break;
		case 'elderly':
			base.pitch -= 4;
			base.speed -= 15;
			break;
	}
	return { ...base, pitch: clamp(base.pitch, 0, 99), speed: clamp(base.speed, 120, 320) };
}

function clamp(n: number, lo: number, hi: number): number {
	return Math.min(hi, Math.max(lo, n));
}

type Index = Record<string, { seconds: number; hash: string }>;

/** What decides a clip's bytes: the spoken text, the profile and the encoding. */
function clipHash(text: string, profile: SpeakerProfile): string {
	const key = JSON.stringify({ text: speakable(text), profile, kbps: KBPS });
	return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function readIndex(path: string): Index {
	return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Index) : {};
}

/** Beats whose clip is missing or out of date, and clips of beats that are gone. */
function staleness(dir: string, scenario: Scenario, profile: SpeakerProfile) {
	const index = readIndex(join(dir, 'index.json'));
	const ids = new Set(scenario.beats.map((b) => b.id));
	const stale = scenario.beats.filter(
		(b) =>
			index[b.id]?.hash !== clipHash(b.customer, profile) || !existsSync(join(dir, `${b.id}.ogg`))
	);
	const orphans = existsSync(dir)
		? readdirSync(dir).filter((f) => f.endsWith('.ogg') && !ids.has(f.slice(0, -4)))
		: [];
	return { index, stale, orphans };
}

function main(args: string[]): number {
	const check = args.includes('--check');
	const force = args.includes('--force');
	const wanted = args.filter((a) => !a.startsWith('--'));
	const slugs = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(SCENARIOS_DIR, d.name, 'scenario.md')))
		.map((d) => d.name)
		.filter((s) => wanted.length === 0 || wanted.includes(s))
		.sort();
	const unknown = wanted.filter((w) => !slugs.includes(w));
	if (unknown.length > 0) {
		console.error(`no such scenario: ${unknown.join(', ')}`);
		return 1;
	}

	let outOfDate = 0;
	let totalBytes = 0;
	for (const slug of slugs) {
		const path = join(SCENARIOS_DIR, slug, 'scenario.md');
		const { scenario } = parseScenario(
			readFileSync(path, 'utf8'),
			`content/scenarios/${slug}/scenario.md`
		);
		const profile = profileFor(scenario.persona);
		const dir = join(SCENARIOS_DIR, slug, 'beats');
		const { index, stale, orphans } = staleness(dir, scenario, profile);

		if (check) {
			const bad = stale.length + orphans.length;
			outOfDate += bad;
			const detail = [
				...stale.map((b) => `stale ${b.id}`),
				...orphans.map((f) => `orphan ${f}`)
			].join(', ');
			console.log(`${bad ? 'STALE' : 'ok   '} ${slug}${bad ? `: ${detail}` : ''}`);
			continue;
		}

		mkdirSync(dir, { recursive: true });
		const todo = force ? scenario.beats : stale;
		const work = mkdtempSync(join(tmpdir(), `scenario-${slug}-`));
		try {
			for (const beat of todo) {
				const wav = join(work, `${beat.id}.wav`);
				const ogg = join(dir, `${beat.id}.ogg`);
				const { samples } = synthesize(beat.customer, profile, wav);
				encodeOpus(wav, ogg, KBPS);
				index[beat.id] = {
					// From the wav: this sox build cannot read Opus.
					seconds: Math.round((samples / SAMPLE_RATE) * 100) / 100,
					hash: clipHash(beat.customer, profile)
				};
			}
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
		for (const file of orphans) {
			rmSync(join(dir, file));
			delete index[file.slice(0, -4)];
		}
		// Keep the index in beat order and free of beats that are gone.
		const ordered: Index = {};
		for (const beat of scenario.beats) ordered[beat.id] = index[beat.id];
		writeFileSync(join(dir, 'index.json'), JSON.stringify(ordered, null, '\t') + '\n');

		const bytes = scenario.beats.reduce(
			(n, b) => n + readFileSync(join(dir, `${b.id}.ogg`)).length,
			0
		);
		totalBytes += bytes;
		const seconds = scenario.beats.reduce((n, b) => n + ordered[b.id].seconds, 0);
		console.log(
			`${slug}: ${scenario.beats.length} beats (${todo.length} built), ` +
				`${seconds.toFixed(1)} s, ${(bytes / 1024).toFixed(0)} KB`
		);
	}
	if (check) {
		if (outOfDate > 0) {
			console.error(`${outOfDate} clip(s) out of date: run generate-scenario-audio.ts`);
			return 1;
		}
		return 0;
	}
	console.log(`total ${(totalBytes / 1024).toFixed(0)} KB`);
	return 0;
}

process.exitCode = main(process.argv.slice(2));

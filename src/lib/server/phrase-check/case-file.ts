/**
 * Case recordings (`content/cases/<slug>/case.md`): frontmatter schema, the dialogue script in
 * the body, and the rewrite of generated annotation timings. Pure: text in, data or text out.
 * The format is documented in content/README.md ("Case recordings").
 *
 * Single source: case.md. Annotations are written against script turns (`line: 7`, optionally
 * `to: 9`); the generator (src/lib/server/cli/generate-case-audio.ts) fills `start`/`end` from
 * the synthesised audio and writes them back into the same file with
 * {@link writeAnnotationTimes}. Hand edits to `start`/`end` are overwritten on the next run.
 */
import { z } from 'zod';
import { SKILLS } from '../../skills';
import { ContentError, parseFrontmatter } from '../content/frontmatter';
import { CALL_TYPES } from './rules';
import {
	parseScript,
	scriptTranscript,
	TranscriptError,
	type ScriptItem,
	type Transcript
} from './vtt';

import { ANNOTATION_CATEGORIES, QUALITIES, type AnnotationCategory } from '../../call-taxonomy';

export { ANNOTATION_CATEGORIES, QUALITIES, type AnnotationCategory };

const annotationSchema = z.strictObject({
	/** Turn number (the n-th `坐席：`/`客户：` line of the script; also the VTT cue id). */
	line: z.number().int().positive(),
	/** Last turn of a range (inclusive). */
	to: z.number().int().positive().optional(),
	/** Generated: seconds in call.ogg, from the start of `line` to the end of `to ?? line`. */
	start: z.number().nonnegative().optional(),
	end: z.number().nonnegative().optional(),
	category: z.enum(ANNOTATION_CATEGORIES),
	/** Phrase-rule id: required for forbidden-expression; for a missing action, the rule expected to report it. */
	rule: z.string().optional(),
	note: z.string().min(1)
});
export type CaseAnnotation = z.infer<typeof annotationSchema>;

export const caseFrontmatterSchema = z
	.strictObject({
		title: z.string().min(1),
		titleEn: z.string().min(1),
		callType: z.enum(CALL_TYPES),
		difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
		quality: z.enum(QUALITIES),
		skills: z.array(z.enum(SKILLS)).min(1),
		summary: z.string().min(1),
		summaryEn: z.string().min(1),
		/** Speaker profiles from src/lib/server/cli/speech/tts.ts (default agent / customer). */
		voices: z
			.strictObject({ agent: z.string().optional(), customer: z.string().optional() })
			.optional(),
		prompts: z.array(z.string().min(1)).min(1),
		referenceClassification: z.enum(CALL_TYPES),
		annotations: z.array(annotationSchema).min(1),
		referenceAnalysis: z.string().min(1)
	})
	.superRefine((fm, ctx) => {
		fm.annotations.forEach((a, i) => {
			if (a.category === 'forbidden-expression' && !a.rule) {
				ctx.addIssue({
					code: 'custom',
					message: 'a forbidden-expression annotation needs `rule`',
					path: ['annotations', i, 'rule']
				});
			}
			if (a.to !== undefined && a.to < a.line) {
				ctx.addIssue({ code: 'custom', message: '`to` before `line`', path: ['annotations', i] });
			}
		});
	});
export type CaseFrontmatter = z.infer<typeof caseFrontmatterSchema>;

export interface CaseFile {
	frontmatter: CaseFrontmatter;
	script: ScriptItem[];
	transcript: Transcript;
}

/** Parses and validates a case.md; throws a ContentError (`path:line: reason`) on the first problem. */
export function parseCaseFile(source: string, path = 'case.md'): CaseFile {
	const { data, body, bodyLine } = parseFrontmatter(source, path, caseFrontmatterSchema);
	let script: ScriptItem[];
	try {
		script = parseScript(body, bodyLine);
	} catch (e) {
		if (e instanceof TranscriptError) throw new ContentError(path, e.sourceLine, e.reason);
		throw e;
	}
	const transcript = scriptTranscript(script);
	const turnCount = transcript.turns.length;
	if (turnCount === 0) throw new ContentError(path, bodyLine, 'the script has no turns');
	const past = data.annotations.find((a) => (a.to ?? a.line) > turnCount);
	if (past) {
		const at = source.split('\n').findIndex((l) => /^annotations:/.test(l)) + 1;
		throw new ContentError(
			path,
			at,
			`annotation on line ${past.line} is past the last turn (${turnCount})`
		);
	}
	return { frontmatter: data, script, transcript };
}

/** Seconds rounded to the millisecond, as in the VTT. */
export const roundMs = (s: number) => Math.round(s * 1000) / 1000;

function formatAnnotation(a: CaseAnnotation): string {
	const parts = [`line: ${a.line}`];
	if (a.to !== undefined) parts.push(`to: ${a.to}`);
	if (a.start !== undefined) parts.push(`start: ${roundMs(a.start)}`);
	if (a.end !== undefined) parts.push(`end: ${roundMs(a.end)}`);
	parts.push(`category: ${a.category}`);
	if (a.rule) parts.push(`rule: ${a.rule}`);
	// A JSON string is a valid YAML double-quoted scalar.
	parts.push(`note: ${JSON.stringify(a.note)}`);
	return `  - { ${parts.join(', ')} }`;
}

/**
 * Rewrites the frontmatter's `annotations:` block with the given annotations (one flow mapping
 * per line), leaving every other line of the file untouched.
 */
export function writeAnnotationTimes(source: string, annotations: CaseAnnotation[]): string {
	const lines = source.split('\n');
	const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
	const at = lines.findIndex((l, i) => i < close && /^annotations:\s*$/.test(l));
	if (at < 0) throw new Error('no block-style `annotations:` key in the frontmatter');
	let end = at + 1;
	while (end < close && (lines[end].trim() === '' || /^\s/.test(lines[end]))) end++;
	return [
		...lines.slice(0, at + 1),
		...annotations.map(formatAnnotation),
		...lines.slice(end)
	].join('\n');
}

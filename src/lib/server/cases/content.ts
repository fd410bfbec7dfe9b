// The case library and its assessment as content: case folders (case.md + transcript.vtt, the
// audio beside them), rubrics and case-analysis exam definitions, parsed and cross-checked.
// Built from the same path → source map as the rest of the content index (see
// ../content/catalog.ts), so the build check, `npm run content:check` and the server agree.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { ContentError } from '../content/frontmatter';
import {
	parseCaseFile,
	type CaseAnnotation,
	type CaseFrontmatter
} from '../phrase-check/case-file';
import { parseVtt, TranscriptError, type Transcript } from '../phrase-check/vtt';
import { examKindOf, parseCaseExam, type CaseExam } from './case-exam';
import { parseRubric, type Rubric } from './rubric';

export type CaseEntry = Omit<CaseFrontmatter, 'annotations'> & {
	slug: string;
	file: string;
	hash: string;
	/** Timed transcript from transcript.vtt (the audio's timings). */
	transcript: Transcript;
	duration: number;
	/** Annotations with their generated times (validated present). */
	annotations: (Omit<CaseAnnotation, 'start' | 'end'> & { start: number; end: number })[];
};

export type CaseContent = {
	cases: CaseEntry[];
	rubrics: Rubric[];
	exams: CaseExam[];
	errors: ContentError[];
};

const CASE_FILE = /^\/content\/cases\/([a-z0-9-]+)\/case\.md$/;
const RUBRIC_FILE = /^\/content\/rubrics\/([a-z0-9-]+)\.md$/;
const EXAM_FILE = /^\/content\/exams\/([a-z0-9-]+)\.md$/;
const LESSON_FILE = /^\/content\/courses\/\d{2}-([a-z0-9-]+)\/\d{2}-([a-z0-9-]+)\.md$/;

const hashOf = (s: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(s))).slice(0, 16);

export function buildCaseContent(files: Record<string, string>): CaseContent {
	const errors: ContentError[] = [];
	const cases: CaseEntry[] = [];
	const rubrics: Rubric[] = [];
	const exams: CaseExam[] = [];
	const lessons = new Set<string>();
	for (const path of Object.keys(files)) {
		const m = LESSON_FILE.exec(path);
		if (m) lessons.add(`${m[1]}/${m[2]}`);
	}
	const attempt = (fn: () => void) => {
		try {
			fn();
		} catch (e) {
			if (e instanceof ContentError) errors.push(e);
			else throw e;
		}
	};
	for (const [path, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
		const c = CASE_FILE.exec(path);
		if (c)
			attempt(() => {
				const parsed = parseCaseFile(source, path);
				const vttPath = path.replace(/case\.md$/, 'transcript.vtt');
				const vttSource = files[vttPath];
				if (vttSource === undefined)
					throw new ContentError(path, 1, 'transcript.vtt is missing: run npm run content:audio');
				let transcript: Transcript;
				try {
					transcript = parseVtt(vttSource);
				} catch (e) {
					if (e instanceof TranscriptError) throw new ContentError(vttPath, e.sourceLine, e.reason);
					throw e;
				}
				if (transcript.turns.length !== parsed.transcript.turns.length)
					throw new ContentError(
						vttPath,
						1,
						`${transcript.turns.length} cues but case.md has ${parsed.transcript.turns.length} turns: run npm run content:audio`
					);
				const annotations = parsed.frontmatter.annotations.map((a) => {
					if (a.start === undefined || a.end === undefined)
						throw new ContentError(
							path,
							1,
							`annotation on line ${a.line} has no generated times: run npm run content:audio`
						);
					return { ...a, start: a.start, end: a.end };
				});
				const last = transcript.turns[transcript.turns.length - 1];
				cases.push({
					...parsed.frontmatter,
					slug: c[1],
					file: path,
					hash: hashOf(source + vttSource),
					transcript,
					duration: last?.end ?? 0,
					annotations
				});
			});
		const r = RUBRIC_FILE.exec(path);
		if (r)
			attempt(() =>
				rubrics.push(
					parseRubric(
						source,
						path,
						r[1],
						hashOf(source),
						lessons.size ? (ref) => lessons.has(ref) : undefined
					)
				)
			);
		const e = EXAM_FILE.exec(path);
		if (e && examKindOf(source) === 'case_analysis')
			attempt(() => exams.push(parseCaseExam(source, path, e[1], hashOf(source))));
	}
	for (const exam of exams) {
		const lineOf = (key: string) =>
			source(exam.file)
				.split('\n')
				.findIndex((l) => l.startsWith(`${key}:`)) + 1 || 1;
		const source = (p: string) => files[p] ?? '';
		if (!rubrics.some((r) => r.slug === exam.definition.rubric))
			errors.push(
				new ContentError(
					exam.file,
					lineOf('rubric'),
					`rubric "${exam.definition.rubric}" has no file content/rubrics/${exam.definition.rubric}.md`
				)
			);
		for (const slug of exam.definition.pool)
			if (!cases.some((c) => c.slug === slug))
				errors.push(
					new ContentError(
						exam.file,
						lineOf('pool'),
						`case "${slug}" has no folder content/cases/${slug}/`
					)
				);
	}
	return { cases, rubrics, exams, errors };
}

// The content index: programs, courses and lessons parsed from `content/`, validated, each with
// a content hash. Built from a map of path → source so the same code serves the build check,
// `npm run content:check` (files read from disk) and the server (files bundled by Vite).
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import GithubSlugger from 'github-slugger';
import { buildCaseContent, type CaseContent } from '../cases/content';
import { examKindOf } from '../cases/case-exam';
import { buildMockContent, type MockContent } from '../mock-calls/content';
import { isMockKind } from '../mock-calls/definitions';
import { checkExamFile, type ParsedExam } from '../exams/question-bank';
import { ContentError, parseFrontmatter } from './frontmatter';
import {
	courseSchema,
	lessonSchema,
	programSchema,
	type CourseFrontmatter,
	type LessonFrontmatter,
	type ProgramFrontmatter
} from './schema';

export type Heading = { depth: 2 | 3; text: string; id: string };

export type Lesson = LessonFrontmatter & {
	slug: string;
	courseSlug: string;
	order: number;
	/** Path as Vite's import.meta.glob names it: /content/courses/NN-x/NN-y.md */
	file: string;
	hash: string;
	headings: Heading[];
	/** Plain text for search. */
	text: string;
	hanCount: number;
	interactiveCount: number;
};

export type Course = CourseFrontmatter & {
	slug: string;
	file: string;
	hash: string;
	intro: string;
	lessons: Lesson[];
};

export type Program = ProgramFrontmatter & { file: string; hash: string; intro: string };

export type WrittenExam = ParsedExam & { slug: string; file: string; hash: string };

export type Catalog = {
	programs: Program[];
	courses: Course[];
	exams: WrittenExam[];
	/** Case recordings, rubrics and case-analysis assessments (src/lib/server/cases/content.ts). */
	caseContent: CaseContent;
	/** Mock-call scenarios and the mock_call / mock_golive definitions (src/lib/server/mock-calls/content.ts). */
	mockContent: MockContent;
	/** Files that exist but could not be used, with their path, line and reason. */
	errors: ContentError[];
	/** Problems that do not stop the app, e.g. an assessment whose definition is not written yet. */
	warnings: string[];
};

const COURSE_DIR = /^\/content\/courses\/(\d{2})-([a-z0-9-]+)\/(index|(\d{2})-([a-z0-9-]+))\.md$/;
const PROGRAM_FILE = /^\/content\/programs\/([a-z0-9-]+)\.md$/;
const EXAM_FILE = /^\/content\/exams\/([a-z0-9-]+)\.md$/;
const INTERACTIVE = /<(Quiz|Rewrite|SelfCheck|Reveal|Compare)\b/g;

export function hashOf(source: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(source))).slice(0, 16);
}

/** Markdown + Svelte → plain text: enough for search and character counts. */
export function plainText(body: string): string {
	return body
		.replace(/<script[\s\S]*?<\/script>/g, ' ')
		.replace(/<[A-Z][\s\S]*?\/?>/g, (tag) => ' ' + [...tag.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]).join(' ') + ' ')
		.replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
		.replace(/[#>*_`|[\]()-]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

export function headingsOf(body: string): Heading[] {
	const slugger = new GithubSlugger();
	const out: Heading[] = [];
	let fenced = false;
	for (const line of body.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		const m = !fenced && /^(##|###)\s+(.+?)\s*#*\s*$/.exec(line);
		if (m) {
			const text = m[2].replace(/[*_`]/g, '');
			out.push({ depth: m[1].length as 2 | 3, text, id: slugger.slug(text) });
		}
	}
	return out;
}

export function buildCatalog(files: Record<string, string>): Catalog {
	const errors: ContentError[] = [];
	const warnings: string[] = [];
	const courses = new Map<string, Course>();
	const lessonFiles: { path: string; courseSlug: string; order: number; slug: string; source: string }[] = [];
	const programs: Program[] = [];
	const brokenCourses = new Set<string>();
	const exams: WrittenExam[] = [];

	for (const [path, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
		try {
			const program = PROGRAM_FILE.exec(path);
			if (program) {
				const { data, body } = parseFrontmatter(source, path, programSchema);
				if (data.slug !== program[1]) throw new ContentError(path, 2, `slug "${data.slug}" must match the file name "${program[1]}"`);
				programs.push({ ...data, file: path, hash: hashOf(source), intro: body.trim() });
				continue;
			}
			const exam = EXAM_FILE.exec(path);
			// Dispatch on `kind`: case-analysis definitions are parsed with the case content below.
			if (exam && (examKindOf(source) === 'case_analysis' || isMockKind(examKindOf(source)))) continue;
			if (exam) {
				const checked = checkExamFile(source, path);
				if (checked.ok) exams.push({ ...checked.exam, slug: exam[1], file: path, hash: hashOf(source) });
				else errors.push(...checked.errors.map((i) => new ContentError(path, i.line, i.reason)));
				continue;
			}
			const c = COURSE_DIR.exec(path);
			if (!c) continue;
			const [, nn, courseSlug, , lessonNn, lessonSlug] = c;
			if (lessonNn === undefined) {
				const { data, body } = parseFrontmatter(source, path, courseSchema);
				if (data.order !== Number(nn)) throw new ContentError(path, 2, `order ${data.order} must match the folder number ${nn}`);
				if (courses.has(courseSlug)) throw new ContentError(path, 1, `course slug "${courseSlug}" is used by two folders`);
				courses.set(courseSlug, { ...data, slug: courseSlug, file: path, hash: hashOf(source), intro: body.trim(), lessons: [] });
			} else lessonFiles.push({ path, courseSlug, order: Number(lessonNn), slug: lessonSlug, source });
		} catch (e) {
			if (e instanceof ContentError) {
				errors.push(e);
				const c = COURSE_DIR.exec(path);
				if (c && c[4] === undefined) brokenCourses.add(c[2]);
			}
			else throw e;
		}
	}

	for (const f of lessonFiles) {
		// Its course's index.md is already reported; one error per cause is easier to act on.
		if (brokenCourses.has(f.courseSlug)) continue;
		try {
			const course = courses.get(f.courseSlug);
			if (!course) throw new ContentError(f.path, 1, `the course folder has no valid index.md`);
			const { data, body } = parseFrontmatter(f.source, f.path, lessonSchema);
			if (course.lessons.some((l) => l.slug === f.slug)) throw new ContentError(f.path, 1, `lesson slug "${f.slug}" is used twice in ${f.courseSlug}`);
			if (course.lessons.some((l) => l.order === f.order)) throw new ContentError(f.path, 1, `lesson number ${f.order} is used twice in ${f.courseSlug}`);
			const text = plainText(body);
			course.lessons.push({
				...data,
				slug: f.slug,
				courseSlug: f.courseSlug,
				order: f.order,
				file: f.path,
				hash: hashOf(f.source),
				headings: headingsOf(body),
				text,
				hanCount: (text.match(/[\u4e00-\u9fff]/g) ?? []).length,
				interactiveCount: (body.match(INTERACTIVE) ?? []).length
			});
		} catch (e) {
			if (e instanceof ContentError) errors.push(e);
			else throw e;
		}
	}

	const ordered = [...courses.values()].sort((a, b) => a.order - b.order);
	for (const course of ordered) {
		course.lessons.sort((a, b) => a.order - b.order);
		const hasLessonFiles = lessonFiles.some((f) => f.courseSlug === course.slug);
		if (!hasLessonFiles) errors.push(new ContentError(course.file, 1, 'a course needs at least one lesson'));
		for (const p of course.prerequisites)
			if (!courses.has(p)) errors.push(new ContentError(course.file, 1, `prerequisite "${p}" is not a course`));
	}
	const caseContent = buildCaseContent(files);
	errors.push(...caseContent.errors);
	const mockContent = buildMockContent(files, (slug) => caseContent.rubrics.some((r) => r.slug === slug));
	errors.push(...mockContent.errors);
	for (const program of programs)
		for (const stage of program.stages) {
			for (const c of stage.courses)
				if (!courses.has(c)) errors.push(new ContentError(program.file, 1, `stage "${stage.slug}" names course "${c}", which does not exist`));
			for (const a of stage.assessments) {
				const exam = exams.find((e) => e.slug === a.exam) ?? caseContent.exams.find((e) => e.slug === a.exam) ?? mockContent.exams.find((e) => e.slug === a.exam);
				if (exam && exam.definition.stage !== stage.slug)
					errors.push(new ContentError(exam.file, 1, `stage is "${exam.definition.stage}" but the program uses it in "${stage.slug}"`));
				// Assessment kinds whose definitions are written later show as "not available yet".
				if (!exam && a.kind === 'written') errors.push(new ContentError(program.file, 1, `written test "${a.exam}" has no file content/exams/${a.exam}.md`));
				else if (!exam) warnings.push(`${program.file}: assessment "${a.exam}" (${a.kind}) has no definition yet`);
			}
		}

	return { programs, courses: ordered, exams, caseContent, mockContent, errors, warnings };
}

export function formatErrors(catalog: Pick<Catalog, 'errors'>): string {
	return catalog.errors.map((e) => `  ${e.message}`).join('\n');
}

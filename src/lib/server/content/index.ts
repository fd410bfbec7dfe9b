// The content index as the running server sees it: files bundled by Vite at build time,
// parsed and validated once at start (a broken file stops the start with its path and line).
import { error } from '@sveltejs/kit';
import { resolve } from 'node:path';
import { buildCatalog, formatErrors, type Catalog, type Course, type Lesson, type Program } from './catalog';
import { readContentDir } from './disk';

// Under Vite (the app, the tests) the files are bundled; command-line scripts run by tsx have no
// import.meta.glob and read the same files from disk.
function contentSources(): Record<string, string> {
	try {
		return import.meta.glob<string>(['/content/programs/*.md', '/content/courses/*/*.md', '/content/exams/*.md', '/content/cases/*/case.md', '/content/cases/*/transcript.vtt', '/content/rubrics/*.md', '/content/scenarios/*/scenario.md'], {
			query: '?raw',
			import: 'default',
			eager: true
		});
	} catch {
		return readContentDir(resolve('content'));
	}
}
const sources = contentSources();

let catalog: Catalog | null = null;

export function loadCatalog(): Catalog {
	if (catalog) return catalog;
	const built = buildCatalog(sources);
	if (built.errors.length) throw new Error(`content is not valid:\n${formatErrors(built)}`);
	catalog = built;
	return catalog;
}

export function getProgram(slug = 'onboarding'): Program {
	const program = loadCatalog().programs.find((p) => p.slug === slug);
	if (!program) throw new Error(`program "${slug}" is not defined in content/programs`);
	return program;
}

export function listCourses(): Course[] {
	return loadCatalog().courses;
}

export function findCourse(slug: string): Course | null {
	return loadCatalog().courses.find((c) => c.slug === slug) ?? null;
}

/** The lesson with its neighbours across the whole curriculum, or a 404. */
export function requireLesson(courseSlug: string, lessonSlug: string): { course: Course; lesson: Lesson; prev: Lesson | null; next: Lesson | null } {
	const course = findCourse(courseSlug);
	const lesson = course?.lessons.find((l) => l.slug === lessonSlug);
	if (!course || !lesson) error(404, 'not found');
	const all = listCourses().flatMap((c) => c.lessons);
	const i = all.indexOf(lesson);
	return { course, lesson, prev: all[i - 1] ?? null, next: all[i + 1] ?? null };
}

export type SearchHit = { courseSlug: string; courseTitle: string; lessonSlug: string; lessonTitle: string; snippet: string };

/** Substring search: Chinese has no spaces to split on, and a substring match is what a
 *  reader expects from a search box over a few hundred pages. */
export function searchLessons(query: string, limit = 30): SearchHit[] {
	const q = query.trim().toLowerCase();
	if (q.length === 0) return [];
	const hits: SearchHit[] = [];
	for (const course of listCourses())
		for (const lesson of course.lessons) {
			const inTitle = lesson.title.toLowerCase().includes(q) || lesson.titleEn.toLowerCase().includes(q);
			const at = lesson.text.toLowerCase().indexOf(q);
			if (!inTitle && at < 0) continue;
			const start = Math.max(0, at - 40);
			const snippet = at < 0 ? lesson.text.slice(0, 90) : (start > 0 ? '…' : '') + lesson.text.slice(start, at + q.length + 60) + '…';
			hits.push({ courseSlug: course.slug, courseTitle: course.title, lessonSlug: lesson.slug, lessonTitle: lesson.title, snippet });
			if (hits.length >= limit) return hits;
		}
	return hits;
}

/** A case-analysis assessment (content/exams/<slug>.md with kind case_analysis). */
export function findCaseExam(slug: string) {
	return loadCatalog().caseContent.exams.find((e) => e.slug === slug) ?? null;
}

/** A mock-call or mock go-live assessment (content/exams/<slug>.md with kind mock_call | mock_golive). */
export function findMockExam(slug: string) {
	return loadCatalog().mockContent.exams.find((e) => e.slug === slug) ?? null;
}

export function findScenario(slug: string) {
	return loadCatalog().mockContent.scenarios.find((s) => s.slug === slug) ?? null;
}

export function findExam(slug: string) {
	return loadCatalog().exams.find((e) => e.slug === slug) ?? null;
}

/** The program stage an assessment belongs to, with its index. */
export function stageOfExam(slug: string, program = getProgram()) {
	const index = program.stages.findIndex((s) => s.assessments.some((a) => a.exam === slug));
	return index < 0 ? null : { index, stage: program.stages[index] };
}

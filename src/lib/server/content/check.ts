// One validation for the build, the start and `npm run content:check`.
import { buildCatalog } from './catalog';
import { readContentDir } from './disk';

export type ContentReport = { errors: string[]; warnings: string[]; summary: string };

export function checkContentOnDisk(root: string): ContentReport {
	const catalog = buildCatalog(readContentDir(root));
	const lessons = catalog.courses.flatMap((c) => c.lessons);
	const han = lessons.reduce((n, l) => n + l.hanCount, 0);
	const interactive = lessons.reduce((n, l) => n + l.interactiveCount, 0);
	return {
		errors: catalog.errors.map((e) => e.message),
		warnings: catalog.warnings,
		summary:
			`content ok: ${catalog.programs.length} program(s), ${catalog.courses.length} courses, ${lessons.length} lessons, ` +
			`${catalog.exams.length} written tests (${catalog.exams.reduce((n, e) => n + e.items.length, 0)} items), ` +
			`${catalog.caseContent.cases.length} cases, ${catalog.caseContent.rubrics.length} rubrics, ${catalog.caseContent.exams.length} case-analysis assessments, ` +
			`${han} Chinese characters, ${interactive} interactive elements`
	};
}

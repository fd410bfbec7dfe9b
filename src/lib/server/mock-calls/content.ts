// Scenarios (content/scenarios/<slug>/scenario.md) and the mock-call / mock go-live definitions
// as content: parsed, validated and cross-checked (pool → scenario folder, rubric → file).
// Same path → source map as the rest of the content index (../content/catalog.ts).
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { examKindOf } from '../cases/case-exam';
import { ContentError } from '../content/frontmatter';
import { parseScenario, type Scenario } from '../scenarios/scenario-schema';
import { isMockKind, parseMockExam, type MockExam } from './definitions';

export type ScenarioEntry = Scenario & { slug: string; file: string; hash: string; notes: string };
export type MockContent = { scenarios: ScenarioEntry[]; exams: MockExam[]; errors: ContentError[] };

const SCENARIO_FILE = /^\/content\/scenarios\/([a-z0-9-]+)\/scenario\.md$/;
const EXAM_FILE = /^\/content\/exams\/([a-z0-9-]+)\.md$/;
const hashOf = (s: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(s))).slice(0, 16);

export function buildMockContent(
	files: Record<string, string>,
	rubricExists: (slug: string) => boolean
): MockContent {
	const errors: ContentError[] = [];
	const scenarios: ScenarioEntry[] = [];
	const exams: MockExam[] = [];
	for (const [path, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
		try {
			const s = SCENARIO_FILE.exec(path);
			if (s) {
				const { scenario, notes } = parseScenario(source, path);
				scenarios.push({ ...scenario, slug: s[1], file: path, hash: hashOf(source), notes });
			}
			const e = EXAM_FILE.exec(path);
			const kind = e ? examKindOf(source) : null;
			if (e && isMockKind(kind))
				exams.push(parseMockExam(source, path, e[1], hashOf(source), kind));
		} catch (err) {
			if (err instanceof ContentError) errors.push(err);
			else throw err;
		}
	}
	for (const exam of exams) {
		const lines = (files[exam.file] ?? '').split('\n');
		const lineOf = (needle: RegExp) => lines.findIndex((l) => needle.test(l)) + 1 || 1;
		if (!rubricExists(exam.definition.rubric))
			errors.push(
				new ContentError(
					exam.file,
					lineOf(/^rubric:/),
					`rubric "${exam.definition.rubric}" has no file content/rubrics/${exam.definition.rubric}.md`
				)
			);
		for (const slug of exam.definition.pool)
			if (!scenarios.some((s) => s.slug === slug))
				errors.push(
					new ContentError(
						exam.file,
						lineOf(new RegExp(`\\b${slug}\\b`)),
						`scenario "${slug}" has no folder content/scenarios/${slug}/`
					)
				);
	}
	return { scenarios, exams, errors };
}

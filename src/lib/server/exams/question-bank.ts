/**
 * Parser for written-test question banks (`content/exams/<slug>.md`). Pure: no file system,
 * no database. The syntax is documented in content/README.md ("Written tests").
 */
import matter from 'gray-matter';
import type { z } from 'zod';
import {
	courseSlugSet,
	examFrontmatterSchema,
	ITEM_TYPES,
	TAG_PATTERN,
	type CourseSlug,
	type Difficulty,
	type ExamDefinition,
	type ItemType
} from './exam-schema';
import { findSectionProblems } from './draw';

// ---------------------------------------------------------------------------------------------
// Item model (the full item, key included: it never leaves the server)

/** An option, matching side, ordering step or marking point. The id is derived from the text,
 *  so it stays the same however the options are served and gives nothing away. */
export interface Choice {
	id: string;
	text: string;
}

export interface FillNormalization {
	/** Full-width letters, digits and punctuation (，。：（）％ …) count as their half-width forms. */
	width: boolean;
	/** Whitespace is ignored. */
	spaces: boolean;
	/** Letter case is ignored. */
	case: boolean;
}

interface ItemBase {
	id: string;
	difficulty: Difficulty;
	tags: string[];
	/** The first course slug among the tags. */
	module: CourseSlug;
	/** Markdown; fill items mark each blank with `___`. */
	stem: string;
	/** Markdown shown at review. */
	explanation: string;
	/** 1-based line of the item heading in its file. */
	line: number;
}

export interface SingleItem extends ItemBase {
	type: 'single';
	options: Choice[];
	correct: string;
}
export interface MultipleItem extends ItemBase {
	type: 'multiple';
	options: Choice[];
	correct: string[];
}
export interface TrueFalseItem extends ItemBase {
	type: 'truefalse';
	answer: boolean;
}
export interface FillItem extends ItemBase {
	type: 'fill';
	/** Accepted answers, one list per blank in stem order. */
	blanks: string[][];
	normalize: FillNormalization;
}
export interface MatchingItem extends ItemBase {
	type: 'matching';
	left: Choice[];
	/** Every right-hand text once (several left entries may share one; distractors included). */
	right: Choice[];
	/** left id → right id */
	pairs: Record<string, string>;
}
export interface OrderingItem extends ItemBase {
	type: 'ordering';
	/** In the correct order. */
	steps: Choice[];
}
export interface MarkingPoint extends Choice {
	points: number;
}
export interface ShortItem extends ItemBase {
	type: 'short';
	reference: string;
	markingPoints: MarkingPoint[];
}

export type QuestionItem =
	SingleItem | MultipleItem | TrueFalseItem | FillItem | MatchingItem | OrderingItem | ShortItem;

export interface ParsedExam {
	definition: ExamDefinition;
	items: QuestionItem[];
}

export interface ExamIssue {
	path: string;
	line: number;
	reason: string;
	/** `path:line: reason` */
	message: string;
}

export class ExamParseError extends Error {
	constructor(public readonly issues: ExamIssue[]) {
		super(issues.map((i) => i.message).join('\n'));
		this.name = 'ExamParseError';
	}
}

export const DEFAULT_FILL_NORMALIZATION: FillNormalization = {
	width: true,
	spaces: true,
	case: true
};

// ---------------------------------------------------------------------------------------------
// Entry points

/** Parses a question bank; throws ExamParseError listing every problem as `path:line: reason`. */
export function parseExamFile(source: string, path: string): ParsedExam {
	const result = checkExamFile(source, path);
	if (!result.ok) throw new ExamParseError(result.errors);
	return result.exam;
}

/** Same as parseExamFile, but returns the problems instead of throwing. */
export function checkExamFile(
	source: string,
	path: string
): { ok: true; exam: ParsedExam } | { ok: false; errors: ExamIssue[] } {
	const issues: ExamIssue[] = [];
	const report = (line: number, reason: string) =>
		issues.push({ path, line, reason, message: `${path}:${line}: ${reason}` });

	const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	const front = readFrontmatter(source, lines, path, report);
	const items = parseBody(lines, front.bodyStart, report);

	if (front.definition && issues.length === 0) {
		for (const problem of findSectionProblems(front.definition, items)) {
			const line = locateYamlPath(front.yamlLines, ['sections', problem.section]);
			report(line, `sections[${problem.section}] "${problem.title}": ${problem.reason}`);
		}
	}

	if (issues.length > 0 || !front.definition) {
		issues.sort((a, b) => a.line - b.line);
		return { ok: false, errors: issues };
	}
	return { ok: true, exam: { definition: front.definition, items } };
}

// ---------------------------------------------------------------------------------------------
// Frontmatter

type Report = (line: number, reason: string) => void;

interface FrontResult {
	definition: ExamDefinition | null;
	/** 0-based index of the first body line. */
	bodyStart: number;
	/** Frontmatter lines; index i is file line i + 2. */
	yamlLines: string[];
}

function readFrontmatter(
	source: string,
	lines: string[],
	path: string,
	report: Report
): FrontResult {
	if (lines[0]?.trim() !== '---') {
		report(1, 'the file must start with a YAML frontmatter block (`---`)');
		return { definition: null, bodyStart: 0, yamlLines: [] };
	}
	const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
	if (close < 0) {
		report(1, 'the frontmatter block is never closed (`---`)');
		return { definition: null, bodyStart: lines.length, yamlLines: [] };
	}
	const yamlLines = lines.slice(1, close);
	const fail = { definition: null, bodyStart: close + 1, yamlLines };

	let data: unknown;
	try {
		// An empty options object bypasses gray-matter's cache, which would keep stale data
		// for a repeated source.
		data = matter(source, {}).data;
	} catch (e) {
		const mark = (e as { mark?: { line?: number } }).mark;
		const reason = (e as { reason?: string }).reason ?? String(e);
		// gray-matter hands js-yaml the text after the opening `---`, starting with that
		// line's newline, so the mark's 0-based line is the file's 1-based line minus one.
		report(typeof mark?.line === 'number' ? mark.line + 1 : 1, `frontmatter: ${reason}`);
		return fail;
	}

	const parsed = examFrontmatterSchema.safeParse(data);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			report(issueLine(yamlLines, issue), `frontmatter: ${describeIssue(issue)}`);
		}
		return fail;
	}
	const slug = (path.split(/[\\/]/).pop() ?? path).replace(/\.md$/, '');
	const totalPoints = round2(parsed.data.sections.reduce((s, x) => s + x.draw * x.points, 0));
	return { definition: { ...parsed.data, slug, totalPoints }, bodyStart: close + 1, yamlLines };
}

function describeIssue(issue: z.core.$ZodIssue): string {
	const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`));
	const name = where.join('').replace(/^\./, '');
	return name ? `${name}: ${issue.message}` : issue.message;
}

function issueLine(yamlLines: string[], issue: z.core.$ZodIssue): number {
	const path: (string | number)[] = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
	if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
	return locateYamlPath(yamlLines, path);
}

const YAML_KEY = /^(\s*)((?:-\s+)*)([^\s#'"-][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s|$)/;

/**
 * Best-effort 1-based file line of a key path in block-style YAML (`sections`, 2, `draw`).
 * Stops at the deepest part it can find; a missing top-level key points at line 1.
 */
export function locateYamlPath(yamlLines: string[], path: (string | number)[]): number {
	let start = 0;
	let end = yamlLines.length;
	let parentCol = -1;
	let found = -1;
	const col = (l: string) => l.length - l.trimStart().length;
	const blank = (l: string) => l.trim() === '' || l.trimStart().startsWith('#');

	for (const seg of path) {
		let hit = -1;
		if (typeof seg === 'string') {
			let keyCol = -1;
			for (let i = start; i < end; i++) {
				const m = YAML_KEY.exec(yamlLines[i]);
				if (!m) continue;
				const c = m[1].length + m[2].length;
				const key = m[3].replace(/^["']|["']$/g, '');
				if (c > parentCol && key === seg) {
					hit = i;
					keyCol = c;
					break;
				}
			}
			if (hit < 0) break;
			let stop = end;
			for (let j = hit + 1; j < end; j++) {
				const l = yamlLines[j];
				if (blank(l)) continue;
				const c = col(l);
				if (c < keyCol || (c === keyCol && !l.trimStart().startsWith('-'))) {
					stop = j;
					break;
				}
			}
			start = hit + 1;
			end = stop;
			parentCol = keyCol;
		} else {
			const dashes: number[] = [];
			let dashCol = Infinity;
			for (let i = start; i < end; i++) {
				const l = yamlLines[i];
				if (!l.trimStart().startsWith('-') || blank(l)) continue;
				const c = col(l);
				if (c < dashCol) {
					dashCol = c;
					dashes.length = 0;
				}
				if (c === dashCol) dashes.push(i);
			}
			if (seg >= dashes.length) break;
			hit = dashes[seg];
			start = hit;
			end = dashes[seg + 1] ?? end;
			parentCol = dashCol;
		}
		found = hit;
	}
	return found < 0 ? 1 : found + 2;
}

// ---------------------------------------------------------------------------------------------
// Body

const HEADING = /^##(?!#)(.*)$/;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CHECKBOX = /^\s*[-*+]\s+\[([ xX])\]\s*(.*)$/;
const EQUALS = /^=\s*(.*)$/;
const MARK = /^\+\s*(?:[(（]\s*([0-9]+(?:\.[0-9]+)?)\s*[)）])?\s*(.*)$/;
const PAIR = /^\s*[-*]\s+(.*?)\s*=>\s*(.*)$/;
const STEP = /^\s*([0-9]+)[.、)）]\s+(.*)$/;
const QUOTE = /^>\s?(.*)$/;
const META = /^([A-Za-z][A-Za-z-]*)\s*[:：]\s*(.*)$/;
const BLANK = /_{3,}/g;

interface Line {
	text: string;
	/** 1-based file line */
	no: number;
}

function parseBody(lines: string[], bodyStart: number, report: Report): QuestionItem[] {
	const blocks: { head: Line; body: Line[] }[] = [];
	let inComment = false;
	for (let i = bodyStart; i < lines.length; i++) {
		// Whole-line HTML comments (`<!-- … -->`, possibly spanning lines) are notes for authors.
		const trimmed = lines[i].trim();
		if (inComment || trimmed.startsWith('<!--')) {
			inComment = !trimmed.includes('-->');
			continue;
		}
		const line: Line = { text: lines[i], no: i + 1 };
		if (HEADING.test(line.text)) blocks.push({ head: line, body: [] });
		else if (blocks.length > 0) blocks[blocks.length - 1].body.push(line);
		// Text before the first item (a `#` title, a note for authors) is ignored.
	}

	const items: QuestionItem[] = [];
	const seen = new Map<string, number>();
	for (const block of blocks) {
		const item = parseItem(block.head, block.body, report);
		if (!item) continue;
		const first = seen.get(item.id);
		if (first !== undefined) {
			report(block.head.no, `duplicate item id "${item.id}" (first used on line ${first})`);
			continue;
		}
		seen.set(item.id, block.head.no);
		items.push(item);
	}
	return items;
}

function parseHeading(head: Line, report: Report) {
	const text = (HEADING.exec(head.text)?.[1] ?? '').trim();
	const tokens = text.split(/\s*[·•・|]\s*|\s+/).filter(Boolean);
	const usage = 'an item heading is `## <id> · <type> · d<1-3>`';
	if (tokens.length !== 3) {
		report(head.no, `${usage} (got "## ${text}")`);
		return null;
	}
	const [id, type, diff] = tokens;
	let ok = true;
	if (!ID_PATTERN.test(id)) {
		report(head.no, `item id "${id}" may only use letters, digits, "-", "_" and "."`);
		ok = false;
	}
	if (!(ITEM_TYPES as readonly string[]).includes(type)) {
		report(head.no, `item ${id}: unknown item type "${type}" (expected ${ITEM_TYPES.join(', ')})`);
		return null;
	}
	const d = /^d([1-3])$/i.exec(diff);
	if (!d) {
		report(head.no, `item ${id}: difficulty must be d1, d2 or d3 (got "${diff}")`);
		ok = false;
	}
	return { id, type: type as ItemType, difficulty: Number(d?.[1] ?? 1) as Difficulty, ok };
}

/** Which answer lines an item type uses. */
function answerKind(type: ItemType, text: string): 'answer' | 'foreign' | null {
	const checkbox = CHECKBOX.test(text);
	const equals = EQUALS.test(text);
	const mark = /^\+\s*[(（]/.test(text);
	switch (type) {
		case 'single':
		case 'multiple':
			return checkbox ? 'answer' : equals || mark ? 'foreign' : null;
		case 'truefalse':
		case 'fill':
			return equals ? 'answer' : checkbox || mark ? 'foreign' : null;
		case 'short':
			return equals || MARK.test(text) ? 'answer' : checkbox ? 'foreign' : null;
		case 'matching':
			return PAIR.test(text) ? 'answer' : checkbox || equals || mark ? 'foreign' : null;
		case 'ordering':
			return STEP.test(text) ? 'answer' : checkbox || equals || mark ? 'foreign' : null;
	}
}

function parseItem(head: Line, body: Line[], report: Report): QuestionItem | null {
	const heading = parseHeading(head, report);
	if (!heading) return null;
	const { id, type } = heading;
	let ok = heading.ok;
	const fail = (line: number, reason: string) => {
		report(line, `item ${id}: ${reason}`);
		ok = false;
	};

	let tags: string[] | null = null;
	let normalizeLine: Line | null = null;
	const stem: Line[] = [];
	const answers: Line[] = [];
	const explanation: string[] = [];
	let phase: 'meta' | 'stem' | 'answers' | 'explanation' = 'meta';

	for (const line of body) {
		const text = line.text;
		const isBlank = text.trim() === '';
		if (phase === 'meta') {
			if (isBlank) continue;
			const m = META.exec(text.trim());
			if (m && /^[a-z-]+$/.test(m[1])) {
				if (m[1] === 'tags')
					tags = m[2]
						.split(/[,，]/)
						.map((t) => t.trim())
						.filter(Boolean);
				else if (m[1] === 'normalize') normalizeLine = { text: m[2], no: line.no };
				else fail(line.no, `unknown item field "${m[1]}" (expected tags or normalize)`);
				continue;
			}
			phase = 'stem';
		}
		if (phase === 'stem') {
			const kind = answerKind(type, text);
			if (kind === 'foreign') {
				fail(line.no, `"${text.trim()}" is not answer syntax for a ${type} item`);
				continue;
			}
			if (kind === null) {
				stem.push(line);
				continue;
			}
			phase = 'answers';
		}
		if (phase === 'answers') {
			if (isBlank) continue;
			const q = QUOTE.exec(text);
			if (q) {
				phase = 'explanation';
			} else {
				if (answerKind(type, text) === 'answer') answers.push(line);
				else fail(line.no, `unexpected line among the answers: "${text.trim()}"`);
				continue;
			}
		}
		// explanation
		const q = QUOTE.exec(text);
		if (q) explanation.push(q[1]);
		else if (isBlank) explanation.push('');
		else fail(line.no, `unexpected text after the explanation (an item ends with its \`>\` lines)`);
	}

	// tags
	if (!tags || tags.length === 0) {
		fail(head.no, 'missing `tags:` line (the module slug first, then skill ids)');
		tags = [];
	}
	for (const t of tags) if (!TAG_PATTERN.test(t)) fail(head.no, `bad tag "${t}"`);
	const moduleTag = tags.find((t) => courseSlugSet.has(t)) as CourseSlug | undefined;
	if (tags.length > 0 && !moduleTag) fail(head.no, 'tags must include a course slug (the module)');

	const stemText = trimBlankLines(stem.map((l) => l.text)).join('\n');
	if (!stemText) fail(head.no, 'the stem (question text) is empty');
	const explanationText = trimBlankLines(explanation).join('\n');
	if (!explanationText) fail(head.no, 'missing explanation (`> …` lines after the answers)');

	let normalize = DEFAULT_FILL_NORMALIZATION;
	if (normalizeLine) {
		if (type !== 'fill') fail(normalizeLine.no, '`normalize:` only applies to fill items');
		else normalize = parseNormalize(normalizeLine, fail);
	}

	const base = {
		id,
		difficulty: heading.difficulty,
		tags,
		module: moduleTag ?? 'service-concepts',
		stem: stemText,
		explanation: explanationText,
		line: head.no
	} satisfies ItemBase;
	const firstLine = answers[0]?.no ?? head.no;

	let item: QuestionItem | null = null;
	switch (type) {
		case 'single':
		case 'multiple': {
			if (answers.length < 2) fail(firstLine, `needs at least two options (\`- [ ] …\`)`);
			const ids = new Ids('o', fail);
			const options: Choice[] = [];
			const correct: { id: string; no: number }[] = [];
			for (const a of answers) {
				const m = CHECKBOX.exec(a.text);
				if (!m) continue;
				const option = ids.make(m[2].trim(), a.no);
				options.push(option);
				if (m[1] !== ' ') correct.push({ id: option.id, no: a.no });
			}
			if (correct.length === 0) {
				fail(firstLine, 'no correct option: mark it with `- [x]`');
			} else if (type === 'single' && correct.length > 1) {
				fail(
					correct[1].no,
					`a single item has exactly one correct option (\`[x]\` also on line ${correct[0].no}); use type multiple`
				);
			}
			item =
				type === 'single'
					? { ...base, type, options, correct: correct[0]?.id ?? '' }
					: { ...base, type, options, correct: correct.map((c) => c.id) };
			break;
		}
		case 'truefalse': {
			if (answers.length !== 1) {
				fail(firstLine, 'needs exactly one `= 对` or `= 错` line');
				break;
			}
			const value = (EQUALS.exec(answers[0].text)?.[1] ?? '').trim().toLowerCase();
			const answer = TRUE_WORDS.has(value) ? true : FALSE_WORDS.has(value) ? false : null;
			if (answer === null) {
				fail(answers[0].no, `"= ${value}" is not 对/错 (or true/false)`);
				break;
			}
			item = { ...base, type, answer };
			break;
		}
		case 'fill': {
			const blankCount = (stemText.match(BLANK) ?? []).length;
			if (blankCount === 0)
				fail(head.no, 'the stem has no blank: write `___` where the answer goes');
			else if (blankCount !== answers.length) {
				fail(
					firstLine,
					`the stem has ${blankCount} blank(s) (\`___\`) but ${answers.length} answer line(s) (\`= …\`); write one line per blank`
				);
			}
			const blanks: string[][] = [];
			for (const a of answers) {
				const accepted = (EQUALS.exec(a.text)?.[1] ?? '')
					.split(/[|｜]/)
					.map((s) => s.trim())
					.filter(Boolean);
				if (accepted.length === 0) fail(a.no, 'an answer line needs at least one accepted answer');
				blanks.push(accepted);
			}
			item = { ...base, type, blanks, normalize };
			break;
		}
		case 'matching': {
			const leftIds = new Ids('l', fail);
			const right: Choice[] = [];
			const rightByText = new Map<string, string>();
			const pairs: Record<string, string> = {};
			const left: Choice[] = [];
			for (const a of answers) {
				const m = PAIR.exec(a.text);
				if (!m) continue;
				const [l, r] = [m[1].trim(), m[2].trim()];
				if (!r) {
					fail(a.no, 'a matching line needs a right-hand side: `- left => right`');
					continue;
				}
				let rightId = rightByText.get(r);
				if (!rightId) {
					rightId = uniqueId('r', r, new Set(right.map((x) => x.id)));
					rightByText.set(r, rightId);
					right.push({ id: rightId, text: r });
				}
				if (!l) continue; // `- => distractor`
				const choice = leftIds.make(l, a.no);
				left.push(choice);
				pairs[choice.id] = rightId;
			}
			if (left.length < 2) fail(firstLine, 'needs at least two pairs (`- left => right`)');
			item = { ...base, type, left, right, pairs };
			break;
		}
		case 'ordering': {
			const ids = new Ids('s', fail);
			const steps: Choice[] = [];
			answers.forEach((a, i) => {
				const m = STEP.exec(a.text);
				if (!m) return;
				if (Number(m[1]) !== i + 1) {
					fail(
						a.no,
						`steps are numbered 1, 2, 3… in the correct order (expected ${i + 1}, got ${m[1]})`
					);
				}
				steps.push(ids.make(m[2].trim(), a.no));
			});
			if (steps.length < 2) fail(firstLine, 'needs at least two steps (`1. …`)');
			item = { ...base, type, steps };
			break;
		}
		case 'short': {
			const reference: string[] = [];
			const markingPoints: MarkingPoint[] = [];
			for (const a of answers) {
				const eq = EQUALS.exec(a.text);
				if (eq) {
					reference.push(eq[1].trim());
					continue;
				}
				const m = MARK.exec(a.text);
				if (!m) continue;
				const points = m[1] === undefined ? 1 : Number(m[1]);
				const text = m[2].trim();
				if (!text) fail(a.no, 'a marking point needs text: `+ (2) 要点`');
				if (!(points > 0)) fail(a.no, 'a marking point is worth more than 0 points');
				markingPoints.push({ id: `m${markingPoints.length + 1}`, text, points });
			}
			if (reference.filter(Boolean).length === 0) {
				fail(firstLine, 'needs a reference answer (`= …` lines)');
			}
			if (markingPoints.length === 0) fail(firstLine, 'needs marking points (`+ (2) 要点` lines)');
			item = { ...base, type, reference: reference.join('\n'), markingPoints };
			break;
		}
	}
	return ok ? item : null;
}

const TRUE_WORDS = new Set(['对', '正确', '是', 'true', 'yes', '√', '✓']);
const FALSE_WORDS = new Set(['错', '错误', '否', 'false', 'no', '×', '✗']);

function parseNormalize(line: Line, fail: (no: number, reason: string) => void): FillNormalization {
	const words = line.text
		.split(/[,，\s]+/)
		.map((w) => w.trim())
		.filter(Boolean);
	const result: FillNormalization = { width: false, spaces: false, case: false };
	for (const w of words) {
		if (w === 'none') continue;
		if (w === 'width' || w === 'spaces' || w === 'case') result[w] = true;
		else fail(line.no, `unknown normalization "${w}" (expected width, spaces, case or none)`);
	}
	return result;
}

/** Ids derived from the text: stable, unique within one item, and independent of order. */
class Ids {
	private readonly used = new Set<string>();
	private readonly texts = new Map<string, number>();
	constructor(
		private readonly prefix: string,
		private readonly fail: (no: number, reason: string) => void
	) {}
	make(text: string, no: number): Choice {
		if (!text) this.fail(no, 'empty entry');
		const earlier = this.texts.get(text);
		if (earlier !== undefined) this.fail(no, `"${text}" is listed twice (also on line ${earlier})`);
		this.texts.set(text, no);
		const id = uniqueId(this.prefix, text, this.used);
		this.used.add(id);
		return { id, text };
	}
}

function uniqueId(prefix: string, text: string, used: ReadonlySet<string>): string {
	const base = prefix + fnv1a(text).toString(36);
	let id = base;
	for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
	return id;
}

/** FNV-1a, 32 bit. */
export function fnv1a(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

function trimBlankLines(lines: string[]): string[] {
	let a = 0;
	let b = lines.length;
	while (a < b && lines[a].trim() === '') a++;
	while (b > a && lines[b - 1].trim() === '') b--;
	return lines.slice(a, b).map((l) => l.replace(/\s+$/, ''));
}

export function round2(n: number): number {
	return Math.round(n * 100) / 100;
}

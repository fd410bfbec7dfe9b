/**
 * Drawing a paper from a question bank. Pure and deterministic: the same bank and seed always
 * give the same paper. The result has two halves: `paper` (what the trainee's browser may see)
 * and `key` (answers, explanations, marking points: keep it on the server). Both are plain
 * JSON, ready to be stored as the attempt's snapshot.
 */
import type { ExamDefinition, ExamSection, MultipleChoiceScoring } from './exam-schema';
import type { ParsedExam, QuestionItem } from './question-bank';

export interface ServedChoice {
	id: string;
	text: string;
}

interface ServedBase {
	id: string;
	/** Points this item is worth in this paper (its section's `points`). */
	points: number;
	/** Markdown; fill items show a blank at each `___`. */
	stem: string;
}

/** What the trainee sees. Ids are the ones the response must use (see scoring.ts). */
export type ServedItem =
	| (ServedBase & { type: 'single' | 'multiple'; options: ServedChoice[] })
	| (ServedBase & { type: 'truefalse' })
	| (ServedBase & { type: 'fill'; blanks: number })
	| (ServedBase & { type: 'matching'; left: ServedChoice[]; right: ServedChoice[] })
	| (ServedBase & { type: 'ordering'; steps: ServedChoice[] })
	| (ServedBase & { type: 'short' });

export interface ServedSection {
	title: string;
	titleEn?: string;
	/** Points per item. */
	points: number;
	items: ServedItem[];
}

export interface ServedPaper {
	exam: string;
	title: string;
	titleEn: string;
	seed: string;
	timeLimitMinutes: number;
	totalPoints: number;
	sections: ServedSection[];
}

export interface PaperKeyEntry {
	section: number;
	points: number;
	/** The full item as drawn: answers, explanation, reference answer, marking points. */
	item: QuestionItem;
}

export interface PaperKey {
	exam: string;
	seed: string;
	passMark: number;
	totalPoints: number;
	multipleChoiceScoring: MultipleChoiceScoring;
	/** By item id, in paper order. */
	items: Record<string, PaperKeyEntry>;
}

export interface DrawnPaper {
	paper: ServedPaper;
	key: PaperKey;
}

export class ExamDrawError extends Error {
	constructor(
		message: string,
		public readonly problems: SectionProblem[]
	) {
		super(message);
		this.name = 'ExamDrawError';
	}
}

export interface SectionProblem {
	/** 0-based index into `sections`. */
	section: number;
	title: string;
	reason: string;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** A PRNG in [0, 1) from any string or number seed (xmur3 hash → mulberry32). */
export function createRng(seed: string | number): () => number {
	const text = String(seed);
	let h = 1779033703 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
		h = (h << 13) | (h >>> 19);
	}
	h = Math.imul(h ^ (h >>> 16), 2246822507);
	h = Math.imul(h ^ (h >>> 13), 3266489909);
	let a = (h ^= h >>> 16) >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates on a copy. */
export function shuffle<T>(list: readonly T[], rng: () => number): T[] {
	const out = list.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Sections

/** Does the item carry all the section's tags, one of its difficulties and one of its types? */
export function matchesSection(item: QuestionItem, section: ExamSection): boolean {
	if (section.tags && !section.tags.every((t) => item.tags.includes(t))) return false;
	if (section.difficulty && !section.difficulty.includes(item.difficulty)) return false;
	if (section.types && !section.types.includes(item.type)) return false;
	return true;
}

function describeFilter(section: ExamSection): string {
	const parts = [
		section.tags && `tags ${section.tags.join(' + ')}`,
		section.difficulty && `difficulty ${section.difficulty.join('/')}`,
		section.types && `types ${section.types.join('/')}`
	].filter(Boolean);
	return parts.length ? parts.join(', ') : 'no filter';
}

/** For each item, the sections it may fill (by index). */
function sectionsByItem(
	sections: readonly ExamSection[],
	items: readonly QuestionItem[]
): Map<QuestionItem, number[]> {
	return new Map(
		items.map((item) => [
			item,
			sections.flatMap((section, s) => (matchesSection(item, section) ? [s] : []))
		])
	);
}

/**
 * Assigns distinct items to every section's slots, trying candidates in `order`. Returns the
 * chosen items per section, or the first section that cannot be filled. Each slot first takes
 * its section's first free candidate; a slot left without one is filled by an augmenting path
 * (Kuhn's algorithm), so overlapping sections never fail by bad luck — and a paper whose
 * sections do not overlap (the usual case, drawn at every start) costs one pass over the items.
 */
function assign(
	sections: readonly ExamSection[],
	order: readonly QuestionItem[],
	sectionsOf: ReadonlyMap<QuestionItem, readonly number[]>
): { chosen: QuestionItem[][]; unfilled: number | null } {
	const candidates: QuestionItem[][] = sections.map(() => []);
	for (const item of order) for (const s of sectionsOf.get(item) ?? []) candidates[s].push(item);
	const slotSection: number[] = [];
	sections.forEach((s, i) => {
		for (let k = 0; k < s.draw; k++) slotSection.push(i);
	});
	const owner = new Map<QuestionItem, number>(); // item → slot
	// An item once taken stays taken (augmenting paths only move it between slots), so each
	// section's candidates before its cursor need no second look.
	const cursor = sections.map(() => 0);
	const unfilled: number[] = [];
	slotSection.forEach((s, slot) => {
		const list = candidates[s];
		let i = cursor[s];
		while (i < list.length && owner.has(list[i])) i++;
		if (i < list.length) owner.set(list[i++], slot);
		else unfilled.push(slot);
		cursor[s] = i;
	});
	const tryAssign = (slot: number, visited: Set<QuestionItem>): boolean => {
		for (const item of candidates[slotSection[slot]]) {
			if (visited.has(item)) continue;
			visited.add(item);
			const current = owner.get(item);
			if (current === undefined || tryAssign(current, visited)) {
				owner.set(item, slot);
				return true;
			}
		}
		return false;
	};
	for (const slot of unfilled)
		if (!tryAssign(slot, new Set())) return { chosen: [], unfilled: slotSection[slot] };
	const chosen: QuestionItem[][] = sections.map(() => []);
	for (const item of order) {
		const slot = owner.get(item);
		if (slot !== undefined) chosen[slotSection[slot]].push(item);
	}
	return { chosen, unfilled: null };
}

/** Sections that cannot be drawn from these items (too few matches, or overlap). */
export function findSectionProblems(
	definition: Pick<ExamDefinition, 'sections'>,
	items: readonly QuestionItem[]
): SectionProblem[] {
	const problems: SectionProblem[] = [];
	definition.sections.forEach((section, i) => {
		const available = items.filter((item) => matchesSection(item, section)).length;
		if (available < section.draw) {
			problems.push({
				section: i,
				title: section.title,
				reason: `asks for ${section.draw} item(s) but only ${available} match (${describeFilter(section)})`
			});
		}
	});
	if (problems.length > 0) return problems;
	const { unfilled } = assign(
		definition.sections,
		items,
		sectionsByItem(definition.sections, items)
	);
	if (unfilled !== null) {
		const section = definition.sections[unfilled];
		problems.push({
			section: unfilled,
			title: section.title,
			reason: `cannot be filled with items not already drawn by other sections (${describeFilter(section)}); sections together ask for more distinct items than match`
		});
	}
	return problems;
}

// ---------------------------------------------------------------------------------------------
// Drawing

// A bank does not change once parsed: its sections are checked, and each item's sections found,
// once, not on every draw.
const prepared = new WeakMap<
	ParsedExam,
	{ problems: SectionProblem[]; sectionsOf: Map<QuestionItem, number[]> }
>();

/** One drawn item: the bank item, what it is worth, its choices' order. */
export interface DrawnItem {
	item: QuestionItem;
	points: number;
	order: ServedOrder;
}

/** A draw before anything is copied out of the bank: which items, in which order, with their
 *  choices in which order. drawExam turns it into a paper and key; an attempt stores it as it is
 *  (see exams/versions.ts), since the items' text lives once per bank version. */
export interface DrawnOrder {
	exam: ParsedExam;
	seed: string;
	/** Per section of the definition, its items in paper order. */
	sections: DrawnItem[][];
}

/**
 * Draws a paper's order: `draw` distinct items per section, items shuffled within a section
 * when `shuffleItems`, options shuffled when `shuffleOptions`. The right-hand column of a
 * matching item and the steps of an ordering item are always shuffled (their authored order is
 * the key). Throws ExamDrawError when a section cannot be filled.
 */
export function drawOrder(exam: ParsedExam, seed: string | number): DrawnOrder {
	const { definition, items } = exam;
	const seedText = String(seed);
	let bank = prepared.get(exam);
	if (!bank)
		prepared.set(
			exam,
			(bank = {
				problems: findSectionProblems(definition, items),
				sectionsOf: sectionsByItem(definition.sections, items)
			})
		);
	const { problems, sectionsOf } = bank;
	if (problems.length > 0) {
		throw new ExamDrawError(
			`cannot draw exam "${definition.slug}": ` +
				problems.map((p) => `section ${p.section + 1} "${p.title}" ${p.reason}`).join('; '),
			problems
		);
	}

	const rng = createRng(`${definition.slug}\u0000${seedText}`);
	const { chosen } = assign(definition.sections, shuffle(items, rng), sectionsOf);
	const authored = new Map(items.map((item, i) => [item, i]));
	const sections = definition.sections.map((section, s) => {
		const picked = definition.shuffleItems
			? shuffle(chosen[s], rng)
			: chosen[s].slice().sort((a, b) => (authored.get(a) ?? 0) - (authored.get(b) ?? 0));
		return picked.map((item) => ({
			item,
			points: section.points,
			order: choiceOrder(item, definition.shuffleOptions, createRng(`${seedText}\u0000${item.id}`))
		}));
	});
	return { exam, seed: seedText, sections };
}

/** Draws a paper (see drawOrder) with its key: the same bank and seed give the same paper. */
export function drawExam(exam: ParsedExam, seed: string | number): DrawnPaper {
	return paperOfDraw(
		drawOrder(exam, seed),
		({ item, points, order }) => servedInOrder(item, points, order),
		({ item, points }, section) => ({ section, points, item })
	);
}

/** A draw's paper and key, with each item made by `serve` and each key entry by `enter`: the
 *  served paper here, the stored one for an attempt (exams/versions.ts). */
export function paperOfDraw<Item, Entry>(
	drawn: DrawnOrder,
	serve: (drawn: DrawnItem) => Item,
	enter: (drawn: DrawnItem, section: number) => Entry
) {
	const { definition } = drawn.exam;
	const keyItems: Record<string, Entry> = {};
	const sections = definition.sections.map((section, s) => ({
		title: section.title,
		...(section.titleEn ? { titleEn: section.titleEn } : {}),
		points: section.points,
		items: drawn.sections[s].map((d) => {
			keyItems[d.item.id] = enter(d, s);
			return serve(d);
		})
	}));
	return {
		paper: {
			exam: definition.slug,
			title: definition.title,
			titleEn: definition.titleEn,
			seed: drawn.seed,
			timeLimitMinutes: definition.timeLimitMinutes,
			totalPoints: definition.totalPoints,
			sections
		},
		key: {
			exam: definition.slug,
			seed: drawn.seed,
			passMark: definition.passMark,
			totalPoints: definition.totalPoints,
			multipleChoiceScoring: definition.multipleChoiceScoring,
			items: keyItems
		}
	};
}

/** The order an item's choices are shown in, by id: all an attempt needs to store to show
 *  the same item again from its bank version. */
export interface ServedOrder {
	options?: string[];
	left?: string[];
	right?: string[];
	steps?: string[];
}

/** A shuffle that never returns the original order (when there are at least two entries). */
function scramble<T>(list: readonly T[], rng: () => number): T[] {
	if (list.length < 2) return list.slice();
	for (let attempt = 0; attempt < 8; attempt++) {
		const out = shuffle(list, rng);
		if (out.some((x, i) => x !== list[i])) return out;
	}
	return [...list.slice(1), list[0]];
}

const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);

/** The order the item's choices are served in (options shuffled when `shuffleOptions`). */
function choiceOrder(item: QuestionItem, shuffleOptions: boolean, rng: () => number): ServedOrder {
	const maybeShuffled = <T>(list: readonly T[]) => (shuffleOptions ? shuffle(list, rng) : list);
	switch (item.type) {
		case 'single':
		case 'multiple':
			return { options: ids(maybeShuffled(item.options)) };
		case 'matching':
			return { left: ids(maybeShuffled(item.left)), right: ids(scramble(item.right, rng)) };
		case 'ordering':
			return { steps: ids(scramble(item.steps, rng)) };
		default:
			return {};
	}
}

/** The item as served with its choices in `order`, built field by field so that nothing of the
 *  key can slip through (an id missing from the item is a broken snapshot: it throws rather
 *  than show a different question). */
export function servedInOrder(item: QuestionItem, points: number, order: ServedOrder): ServedItem {
	const inOrder = (list: readonly ServedChoice[], wanted: string[] | undefined): ServedChoice[] =>
		(wanted ?? ids(list)).map((id) => {
			const c = list.find((x) => x.id === id);
			if (!c) throw new Error(`item ${item.id} has no choice ${id}`);
			return { id: c.id, text: c.text };
		});
	const base = { id: item.id, points, stem: item.stem };
	switch (item.type) {
		case 'single':
		case 'multiple':
			return { ...base, type: item.type, options: inOrder(item.options, order.options) };
		case 'truefalse':
			return { ...base, type: 'truefalse' };
		case 'fill':
			return { ...base, type: 'fill', blanks: item.blanks.length };
		case 'matching':
			return {
				...base,
				type: 'matching',
				left: inOrder(item.left, order.left),
				right: inOrder(item.right, order.right)
			};
		case 'ordering':
			return { ...base, type: 'ordering', steps: inOrder(item.steps, order.steps) };
		case 'short':
			return { ...base, type: 'short' };
	}
}

// An attempt's paper and key as stored (which items were drawn, in which order with their
// choices in which order, their section and points, and the bank version) and as used (each
// item with its text, for the taker; each key entry with its full item, for scoring, grading
// and review). The items' text, answers and explanations are stored once per bank version.
import { eq } from 'drizzle-orm';
import { findExam } from '../content/index';
import type { WrittenExam } from '../content/catalog';
import { db } from '../db/client';
import {
	paperOfDraw,
	servedInOrder,
	type DrawnOrder,
	type PaperKey,
	type PaperKeyEntry,
	type ServedItem,
	type ServedOrder,
	type ServedPaper,
	type ServedSection
} from './draw';
import type { QuestionItem } from './question-bank';
import { examVersions } from './schema';

export type StoredKeyEntry = Omit<PaperKeyEntry, 'item'> & {
	/** Present in keys stored before bank versions existed. */
	item?: QuestionItem;
};

/** The key column of a written attempt. */
export type StoredPaperKey = Omit<PaperKey, 'items'> & {
	/** Content hash of the bank version the items come from (absent in older keys). */
	version?: string;
	items: Record<string, StoredKeyEntry>;
};

/** A served item as stored: which item, its points, and its choices' order. */
export type StoredServedItem = ServedOrder & { id: string; points: number };

/** The paper column of a written attempt: the served paper without the items' text (older
 *  attempts hold the whole served paper). */
export type StoredPaper = Omit<ServedPaper, 'sections'> & {
	/** Content hash of the bank version the items come from. */
	bankVersion: string;
	sections: (Omit<ServedSection, 'items'> & { items: StoredServedItem[] })[];
};

/** What an attempt stores of a draw: the paper as item ids and choice orders, and the key
 *  without the items' text, answers and explanations (they live once per bank version, `version`),
 *  built straight from the draw: nothing of the bank is copied only to be dropped again. */
export function storedDraw(
	drawn: DrawnOrder,
	version: string
): { paper: StoredPaper; key: StoredPaperKey } {
	const { paper, key } = paperOfDraw(
		drawn,
		({ item, points, order }): StoredServedItem => ({ id: item.id, points, ...order }),
		({ points }, section): StoredKeyEntry => ({ section, points })
	);
	return { paper: { ...paper, bankVersion: version }, key: { ...key, version } };
}

// A cohort is served the same few hundred items in a handful of orders: each is built once and
// shared (read-only) by every page that shows it. Bounded, like the stem cache.
const servedItems = new Map<string, ServedItem>();

/** The paper as it was served, with every item's text from its bank version. */
export async function servedPaper(paper: ServedPaper | StoredPaper): Promise<ServedPaper> {
	if (!('bankVersion' in paper)) return paper;
	const items = await versionItems(paper.exam, paper.bankVersion);
	const served = (s: StoredServedItem): ServedItem => {
		// Choice ids are short bank-made identifiers without commas or NULs.
		const memo = `${paper.bankVersion}\0${s.id}\0${s.points}\0${s.options}\0${s.left}\0${s.right}\0${s.steps}`;
		let item = servedItems.get(memo);
		if (!item) {
			const bankItem = items[s.id];
			if (!bankItem) throw new Error(`item ${s.id} is missing from version ${paper.bankVersion}`);
			item = servedInOrder(bankItem, s.points, s);
			if (servedItems.size >= 20_000) servedItems.clear();
			servedItems.set(memo, item);
		}
		return item;
	};
	const { bankVersion: _, ...rest } = paper;
	return { ...rest, sections: paper.sections.map((s) => ({ ...s, items: s.items.map(served) })) };
}

// Per database object: tests open several in one process.
const storedIn = new WeakMap<object, Set<string>>();
const itemsByVersion = new Map<string, Record<string, QuestionItem>>();

/** Makes sure the exam's current bank version is stored; once per version and process. */
export async function storeExamVersion(exam: WrittenExam): Promise<void> {
	let stored = storedIn.get(db);
	if (!stored) storedIn.set(db, (stored = new Set()));
	if (stored.has(exam.hash)) return;
	await db
		.insert(examVersions)
		.values({
			contentHash: exam.hash,
			examSlug: exam.slug,
			items: Object.fromEntries(exam.items.map((item) => [item.id, item]))
		})
		.onConflictDoNothing();
	stored.add(exam.hash);
}

async function versionItems(slug: string, version: string): Promise<Record<string, QuestionItem>> {
	const known = itemsByVersion.get(version);
	if (known) return known;
	const current = findExam(slug);
	let items: Record<string, QuestionItem>;
	// A copy: attempts drawn from this version must not change with the objects in memory.
	if (current?.hash === version)
		items = Object.fromEntries(current.items.map((i) => [i.id, structuredClone(i)]));
	else {
		const [row] = await db
			.select({ items: examVersions.items })
			.from(examVersions)
			.where(eq(examVersions.contentHash, version));
		if (!row) throw new Error(`exam version ${version} of ${slug} is not stored`);
		items = row.items;
	}
	itemsByVersion.set(version, items); // versions never change
	return items;
}

/** The key with every entry's full item, as it was when the attempt was drawn. */
export async function fullKey(key: StoredPaperKey): Promise<PaperKey> {
	const entries = Object.entries(key.items);
	if (entries.every(([, e]) => e.item)) return key as PaperKey;
	const items = await versionItems(key.exam, key.version!);
	return {
		...key,
		items: Object.fromEntries(
			entries.map(([id, e]) => {
				const item = e.item ?? items[id];
				if (!item) throw new Error(`item ${id} is missing from version ${key.version}`);
				return [id, { ...e, item }];
			})
		)
	};
}

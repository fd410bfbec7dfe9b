// An attempt's key as stored (which items were drawn, their section and points, and the bank
// version) and as used (each entry with its full item, for scoring, grading and review).
import { eq } from 'drizzle-orm';
import { findExam } from '../content/index';
import type { WrittenExam } from '../content/catalog';
import { db } from '../db/client';
import type { PaperKey, PaperKeyEntry } from './draw';
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

/** What an attempt stores: the drawn key without the items' text, answers and explanations,
 *  which live once per bank version. */
export function storedKey(key: PaperKey, version: string): StoredPaperKey {
	return {
		...key,
		version,
		items: Object.fromEntries(
			Object.entries(key.items).map(([id, { section, points }]) => [id, { section, points }])
		)
	};
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
	if (current?.hash === version) items = Object.fromEntries(current.items.map((i) => [i.id, i]));
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

import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findExam, loadCatalog } from '../content/index';
import { db } from '../db/client';
import { drawExam, drawOrder } from './draw';
import { examVersions } from './schema';
import { fullKey, servedPaper, storedDraw, storeExamVersion } from './versions';

describe('exam versions', () => {
	const exam = findExam('first-written')!;
	const stored = (seed: string, version = exam.hash) => storedDraw(drawOrder(exam, seed), version);

	it('an attempt stores exactly the paper and key drawExam draws, for every bank and seed', async () => {
		for (const bank of loadCatalog().exams) await storeExamVersion(bank);
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...loadCatalog().exams),
				fc.string({ maxLength: 12 }),
				async (bank, seed) => {
					const { paper, key } = storedDraw(drawOrder(bank, seed), bank.hash);
					const drawn = drawExam(bank, seed);
					expect(await servedPaper(paper)).toEqual(drawn.paper);
					expect(await fullKey(key)).toEqual({ ...drawn.key, version: bank.hash });
					// Paper order is key order: the autosave checks items against this list.
					expect(Object.keys(key.items)).toEqual(
						drawn.paper.sections.flatMap((s) => s.items.map((i) => i.id))
					);
				}
			),
			{ numRuns: 60 }
		);
	});

	it('stores a key without answers or explanations, and gives them back in full', async () => {
		const { key } = drawExam(exam, 'seed-1');
		const slim = stored('seed-1').key;
		await storeExamVersion(exam);
		await storeExamVersion(exam); // once per version: no second row, no error
		const rows = await db
			.select()
			.from(examVersions)
			.where(eq(examVersions.contentHash, exam.hash));
		expect(rows).toHaveLength(1);
		const text = JSON.stringify(slim);
		for (const field of ['"correct"', '"explanation"', '"reference"', '"stem"'])
			expect(text).not.toContain(field);
		expect(text.length).toBeLessThan(JSON.stringify(key).length / 3);
		expect(await fullKey(slim)).toEqual({ ...key, version: exam.hash });
		// Keys stored before versions existed are used as they are.
		expect(await fullKey(key)).toEqual(key);
	});

	it("an attempt drawn from an older version is marked with that version's answers", async () => {
		const { key } = drawExam(exam, 'seed-2');
		const [firstId, first] = Object.entries(key.items)[0];
		const older = 'older-version-of-first-written';
		// The bank has since changed this item; the attempt keeps what it was drawn from.
		const changed = { ...first.item, explanation: '旧版本的解析' };
		await db.insert(examVersions).values({
			contentHash: older,
			examSlug: exam.slug,
			items: {
				...Object.fromEntries(exam.items.map((i) => [i.id, i])),
				[firstId]: changed
			}
		});
		const full = await fullKey(stored('seed-2', older).key);
		expect(full.items[firstId].item).toEqual(changed);
		await expect(fullKey(stored('seed-2', 'never-stored').key)).rejects.toThrow(/not stored/);
	});

	it('stores a paper as item ids and choice orders, and serves it back as it was drawn', async () => {
		await storeExamVersion(exam);
		const { paper } = drawExam(exam, 'seed-3');
		const slim = stored('seed-3').paper;
		const text = JSON.stringify(slim);
		const first = paper.sections[0].items[0];
		expect(text).not.toContain(first.stem);
		// Bytes written per attempt at a cohort's synchronised start (UTF-8: Chinese text is 3 a character).
		expect(Buffer.byteLength(text)).toBeLessThan(Buffer.byteLength(JSON.stringify(paper)) / 3);
		expect(await servedPaper(slim)).toEqual(paper);
		// Shown twice (a reload), the same objects: a cohort shares them.
		const again = await servedPaper(slim);
		expect(again.sections[0].items[0]).toBe((await servedPaper(slim)).sections[0].items[0]);
		// Papers stored whole before versions existed are shown as they are.
		expect(await servedPaper(paper)).toBe(paper);
	});

	it('serves each choice in its stored order and refuses an order the item cannot have', async () => {
		const slim = stored('seed-4').paper;
		const choice = slim.sections.flatMap((s) => s.items).find((i) => i.options)!;
		const reversed = { ...choice, options: [...choice.options!].reverse() };
		const served = await servedPaper({
			...slim,
			sections: [{ ...slim.sections[0], items: [reversed] }]
		});
		const item = served.sections[0].items[0];
		expect(item.type === 'single' || item.type === 'multiple').toBe(true);
		if (item.type === 'single' || item.type === 'multiple')
			expect(item.options.map((o) => o.id)).toEqual(reversed.options);
		await expect(
			servedPaper({
				...slim,
				sections: [{ ...slim.sections[0], items: [{ ...choice, options: ['no-such-choice'] }] }]
			})
		).rejects.toThrow(/no choice/);
	});
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findExam } from '../content/index';
import { db } from '../db/client';
import { drawExam } from './draw';
import { examVersions } from './schema';
import { fullKey, storedKey, storeExamVersion } from './versions';

describe('exam versions', () => {
	const exam = findExam('first-written')!;

	it('stores a key without answers or explanations, and gives them back in full', async () => {
		const { key } = drawExam(exam, 'seed-1');
		await storeExamVersion(exam);
		await storeExamVersion(exam); // once per version: no second row, no error
		const rows = await db
			.select()
			.from(examVersions)
			.where(eq(examVersions.contentHash, exam.hash));
		expect(rows).toHaveLength(1);
		const slim = storedKey(key, exam.hash);
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
		const full = await fullKey(storedKey(key, older));
		expect(full.items[firstId].item).toEqual(changed);
		await expect(fullKey(storedKey(key, 'never-stored'))).rejects.toThrow(/not stored/);
	});
});

import { json, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { QuestionItem } from './question-bank';

/** Every version of a written exam's question bank that an attempt was drawn from, stored once
 *  (by content hash) instead of in every attempt's key: a whole cohort starts within seconds, and
 *  the key then holds only which items were drawn and their points. Rows are never changed. */
export const examVersions = pgTable('exam_versions', {
	contentHash: text('content_hash').primaryKey(),
	examSlug: text('exam_slug').notNull(),
	/** The bank's items by id, as authored in this version (answers, explanations included). */
	items: json('items').$type<Record<string, QuestionItem>>().notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../people/schema';

/** One row per person and lesson, keyed by the stable slugs from content/: renaming or
 *  reordering a lesson keeps its progress; a removed lesson leaves an orphan row we report. */
export const lessonProgress = pgTable(
	'lesson_progress',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseSlug: text('course_slug').notNull(),
		lessonSlug: text('lesson_slug').notNull(),
		firstOpenedAt: timestamp('first_opened_at', { withTimezone: true }).notNull().defaultNow(),
		lastOpenedAt: timestamp('last_opened_at', { withTimezone: true }).notNull().defaultNow(),
		completedAt: timestamp('completed_at', { withTimezone: true }),
		secondsSpent: integer('seconds_spent').notNull().default(0),
		/** Content hash of the lesson when it was completed: tells a later edit apart. */
		completedHash: text('completed_hash')
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.courseSlug, t.lessonSlug] }),
		index('lesson_progress_recent_idx').on(t.userId, t.lastOpenedAt)
	]
);

import {
	index,
	integer,
	jsonb,
	pgTable,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { attempts } from '../attempts/schema';
import { users } from '../people/schema';

/** A comment pinned to a moment of a case (seconds) and/or a transcript line, optionally to a rubric item. */
export type PinnedComment = {
	id: string;
	caseSlug: string | null;
	at: number | null;
	line: number | null;
	itemId: string | null;
	text: string;
};

/** One grader's rubric grading of one case-analysis attempt: a marker's (one of two when double
 *  marking) or the moderator's final say. Drafts are saved with an optimistic version: a save
 *  names the version it was based on and fails if another tab or person changed it since. */
export const caseGradings = pgTable(
	'case_gradings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		graderId: uuid('grader_id')
			.notNull()
			.references(() => users.id),
		role: text('role').$type<'marker' | 'moderator'>().notNull(),
		state: text('state').$type<'draft' | 'submitted'>().notNull().default('draft'),
		rubricSlug: text('rubric_slug').notNull(),
		rubricHash: text('rubric_hash').notNull(),
		/** Rubric item id → level 5 / 3 / 1. */
		scores: jsonb('scores').$type<Record<string, number>>().notNull().default({}),
		comments: jsonb('comments').$type<PinnedComment[]>().notNull().default([]),
		summary: text('summary').notNull().default(''),
		/** The moderator's reason for the final score. */
		reason: text('reason'),
		percent: real('percent'),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		submittedAt: timestamp('submitted_at', { withTimezone: true, precision: 3 })
	},
	(t) => [
		uniqueIndex('case_gradings_grader_idx').on(t.attemptId, t.graderId, t.role),
		index('case_gradings_grader_idx2').on(t.graderId)
	]
);

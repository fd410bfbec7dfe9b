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
import { users } from '../people/schema';

/** The pre-training communication record (培训前沟通记录). A draft is edited in place; a final
 *  version is read-only (a trigger refuses changes to it); a correction is a new version. */
export const profileRecords = pgTable(
	'profile_records',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		enrollmentId: uuid('enrollment_id'),
		version: integer('version').notNull(),
		status: text('status').$type<'draft' | 'final'>().notNull().default('draft'),
		/** skill id → 5 | 3 | 1 (missing while a draft is incomplete). */
		scores: jsonb('scores').$type<Record<string, number>>().notNull().default({}),
		itemNotes: jsonb('item_notes').$type<Record<string, string>>().notNull().default({}),
		overallNote: text('overall_note').notNull().default(''),
		/** The correction reason when this version replaces a final one. */
		correctionReason: text('correction_reason'),
		interviewerId: uuid('interviewer_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		finalisedAt: timestamp('finalised_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('profile_records_version_key').on(t.userId, t.version)]
);

/** One typing test sitting; append-only. Metrics are computed on the server from the passage,
 *  the committed text and the elapsed time. */
export const typingAttempts = pgTable(
	'typing_attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		passageId: text('passage_id').notNull(),
		durationMs: integer('duration_ms').notNull(),
		committedChars: integer('committed_chars').notNull(),
		correctChars: integer('correct_chars').notNull(),
		cpm: real('cpm').notNull(),
		accuracy: real('accuracy').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('typing_attempts_user_idx').on(t.userId, t.createdAt)]
);

import { sql } from 'drizzle-orm';
import {
	boolean,
	index,
	integer,
	json,
	jsonb,
	pgTable,
	primaryKey,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { ServedPaper } from '../exams/draw';
import type { StoredPaper, StoredPaperKey } from '../exams/versions';
import { users } from '../people/schema';

/** One sitting of one assessment by one trainee. It snapshots what was served (items, option
 *  order) and the key, so later edits to the bank never change a started or finished attempt.
 *  The key column never leaves the server. */
export const attempts = pgTable(
	'attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		enrollmentId: uuid('enrollment_id'),
		examSlug: text('exam_slug').notNull(),
		kind: text('kind').$type<'written' | 'case_analysis' | 'mock_call' | 'mock_golive'>().notNull(),
		stageSlug: text('stage_slug').notNull(),
		/** Retrain round the attempt belongs to (0 before any retrain): attempts are counted per round. */
		round: integer('round').notNull().default(0),
		attemptNo: integer('attempt_no').notNull(),
		state: text('state')
			.$type<'in_progress' | 'submitted' | 'graded' | 'released'>()
			.notNull()
			.default('in_progress'),
		contentHash: text('content_hash').notNull(),
		// json, not jsonb: written once and read whole, never queried inside; json stores the text
		// as sent, which halves the cost of the insert at a cohort's synchronised start.
		paper: json('paper').$type<ServedPaper | StoredPaper>().notNull(),
		key: json('key').$type<StoredPaperKey>().notNull(),
		/** The served item ids, so a save can be checked in the same statement that stores it. */
		itemIds: text('item_ids').array().notNull(),
		startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		deadlineAt: timestamp('deadline_at', { withTimezone: true, precision: 3 }).notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true, precision: 3 }),
		submitReason: text('submit_reason').$type<'trainee' | 'deadline'>(),
		gradedAt: timestamp('graded_at', { withTimezone: true }),
		releasedAt: timestamp('released_at', { withTimezone: true }),
		releasedBy: uuid('released_by'),
		score: real('score'),
		maxScore: real('max_score'),
		percent: real('percent'),
		passed: boolean('passed'),
		/** Per item: { points, max, correct } — filled at submit, completed by manual grading. */
		itemScores:
			jsonb('item_scores').$type<
				Record<string, { points: number; max: number; correct: boolean | null }>
			>()
	},
	(t) => [
		index('attempts_user_idx').on(t.userId, t.examSlug),
		index('attempts_exam_state_idx').on(t.examSlug, t.state),
		// One open attempt per person and exam: a double click on "start" cannot open two.
		uniqueIndex('attempts_one_open_idx')
			.on(t.userId, t.examSlug)
			.where(sql`state = 'in_progress'`),
		uniqueIndex('attempts_no_idx').on(t.userId, t.examSlug, t.round, t.attemptNo)
	]
);

/** The latest answer per item. `seq` is the client's per-item sequence number: a save only
 *  replaces a lower one, so late, reordered or repeated requests never overwrite newer work. */
export const responses = pgTable(
	'responses',
	{
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		itemId: text('item_id').notNull(),
		value: jsonb('value').notNull(),
		seq: integer('seq').notNull(),
		savedAt: timestamp('saved_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.itemId] })]
);

/** An examiner's grade of one manually graded item (short answers). */
export const manualGrades = pgTable(
	'manual_grades',
	{
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		itemId: text('item_id').notNull(),
		/** Points awarded per marking point, by its index. */
		awarded: jsonb('awarded').$type<Record<string, number>>().notNull(),
		points: real('points').notNull(),
		comment: text('comment').notNull().default(''),
		graderId: uuid('grader_id')
			.notNull()
			.references(() => users.id),
		gradedAt: timestamp('graded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.itemId] })]
);

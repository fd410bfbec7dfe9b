import {
	bigserial,
	boolean,
	index,
	jsonb,
	pgTable,
	real,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { cohorts } from '../cohorts/schema';
import { users } from '../people/schema';

/** The trainee's one timeline (员工技能档案). Append-only (trigger): other domains add entries
 *  through recordDossierEvent(); nothing is changed or removed. */
export const dossierEvents = pgTable(
	'dossier_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		seq: bigserial('seq', { mode: 'number' }).notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		enrollmentId: uuid('enrollment_id'),
		kind: text('kind').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull(),
		title: text('title').notNull(),
		titleEn: text('title_en'),
		score: real('score'),
		maxScore: real('max_score'),
		passed: boolean('passed'),
		actorId: uuid('actor_id').references(() => users.id),
		refType: text('ref_type').notNull(),
		refId: text('ref_id').notNull(),
		/** 'staff' entries (private teacher notes) are hidden from HR and the trainee. */
		visibility: text('visibility').$type<'all' | 'staff' | 'hr'>().notNull().default('all'),
		detail: jsonb('detail').$type<Record<string, unknown>>(),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('dossier_events_user_idx').on(t.userId, t.at),
		index('dossier_events_ref_idx').on(t.refType, t.refId)
	]
);

export const NOTE_KINDS = ['talk', 'praise', 'warning', 'concern', 'observation'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** Teacher notes: on a trainee (userId set) or on the cohort as a whole (userId null).
 *  Private to the cohort's teacher by default; `sharedWithHr` lets HR read it. */
export const teacherNotes = pgTable(
	'teacher_notes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		cohortId: uuid('cohort_id')
			.notNull()
			.references(() => cohorts.id),
		userId: uuid('user_id').references(() => users.id),
		kind: text('kind').$type<NoteKind>().notNull(),
		body: text('body').notNull(),
		sharedWithHr: boolean('shared_with_hr').notNull().default(false),
		authorId: uuid('author_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('teacher_notes_user_idx').on(t.userId),
		index('teacher_notes_cohort_idx').on(t.cohortId)
	]
);

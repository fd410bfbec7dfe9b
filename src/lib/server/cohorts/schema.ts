import { sql } from 'drizzle-orm';
import {
	boolean,
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from '../people/schema';

/** A cohort (培训班): one homeroom teacher, optional examiners, trainees through enrollments. */
export const cohorts = pgTable('cohorts', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	programSlug: text('program_slug').notNull(),
	startsOn: date('starts_on').notNull(),
	endsOn: date('ends_on').notNull(),
	teacherId: uuid('teacher_id')
		.notNull()
		.references(() => users.id),
	/** 班级工作计划 and 班级总结, markdown written by the teacher. */
	workPlan: text('work_plan').notNull().default(''),
	summary: text('summary').notNull().default(''),
	createdBy: uuid('created_by').references(() => users.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const cohortExaminers = pgTable(
	'cohort_examiners',
	{
		cohortId: uuid('cohort_id')
			.notNull()
			.references(() => cohorts.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id)
	},
	(t) => [
		primaryKey({ columns: [t.cohortId, t.userId] }),
		index('cohort_examiners_user_idx').on(t.userId)
	]
);

/** One trainee in one cohort. At most one active enrollment per trainee (partial unique index);
 *  a move ends the old one (active = false, endReason 'moved') and keeps it as history.
 *  The stage columns are the decisions domain's state machine; `version` guards concurrent
 *  decisions (expected-version update inside the decision's transaction). */
export const enrollments = pgTable(
	'enrollments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		cohortId: uuid('cohort_id')
			.notNull()
			.references(() => cohorts.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		programSlug: text('program_slug').notNull(),
		active: boolean('active').notNull().default(true),
		stageIndex: integer('stage_index').notNull().default(0),
		stageStatus: text('stage_status').notNull().default('not_started'),
		retrains: integer('retrains').notNull().default(0),
		readyForCertification: boolean('ready_for_certification').notNull().default(false),
		version: integer('version').notNull().default(0),
		enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		endReason: text('end_reason')
	},
	(t) => [
		uniqueIndex('enrollments_one_active_key')
			.on(t.userId)
			.where(sql`${t.active}`),
		index('enrollments_cohort_idx').on(t.cohortId),
		index('enrollments_user_idx').on(t.userId)
	]
);

import {
	bigserial,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { enrollments } from '../cohorts/schema';
import { users } from '../people/schema';
import type { EnrollmentState } from './stage-machine';

export type EvidenceRef = { eventId: string; type: string; id: string };
export type RetrainPlan = { lessons: string[]; assessments: string[]; dueOn: string };

/** Stage decisions: append-only (trigger) and hash-chained like the audit log. A correction is
 *  a new row whose `supersedesId` names the decision it replaces. */
export const stageDecisions = pgTable(
	'stage_decisions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		seq: bigserial('seq', { mode: 'number' }).notNull(),
		enrollmentId: uuid('enrollment_id')
			.notNull()
			.references(() => enrollments.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		stageSlug: text('stage_slug').notNull(),
		stageIndex: integer('stage_index').notNull(),
		outcome: text('outcome').$type<'pass' | 'retrain' | 'eliminate'>().notNull(),
		reason: text('reason').notNull(),
		evidence: jsonb('evidence').$type<EvidenceRef[]>().notNull(),
		retrainPlan: jsonb('retrain_plan').$type<RetrainPlan | null>(),
		supersedesId: uuid('supersedes_id'),
		stateBefore: jsonb('state_before').$type<EnrollmentState>().notNull(),
		stateAfter: jsonb('state_after').$type<EnrollmentState>().notNull(),
		/** The enrollment version this decision was made against (the conflict check). */
		enrollmentVersion: integer('enrollment_version').notNull(),
		decidedBy: uuid('decided_by')
			.notNull()
			.references(() => users.id),
		decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }).notNull(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		index('stage_decisions_enrollment_idx').on(t.enrollmentId),
		// A decision can be superseded once: two corrections of the same decision cannot both land.
		uniqueIndex('stage_decisions_supersedes_key').on(t.supersedesId),
		// Two decisions made against the same enrollment version cannot both land.
		uniqueIndex('stage_decisions_version_key').on(t.enrollmentId, t.enrollmentVersion)
	]
);

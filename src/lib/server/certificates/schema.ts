import { sql } from 'drizzle-orm';
import {
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
import { cohorts, enrollments } from '../cohorts/schema';
import { stageDecisions } from '../decisions/schema';
import { users } from '../people/schema';

/** The last certificate number given per program code and year. Incremented inside the
 *  issuing transaction (the row lock serialises concurrent issues), so numbers have no gaps:
 *  a rolled-back issue rolls back its increment too. */
export const certificateCounters = pgTable(
	'certificate_counters',
	{
		programCode: text('program_code').notNull(),
		year: integer('year').notNull(),
		last: integer('last').notNull()
	},
	(t) => [primaryKey({ columns: [t.programCode, t.year] })]
);

/** A go-live certificate (上岗认证), issued by the final-stage pass decision. Expiry is derived
 *  from `validUntil`; revocation keeps the row and records who, when and why. */
export const certificates = pgTable(
	'certificates',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** e.g. XLKF-2026-000123 */
		number: text('number').notNull(),
		/** 80 random bits, base32 (RFC 4648, upper case, no padding): 16 characters. */
		verificationCode: text('verification_code').notNull(),
		enrollmentId: uuid('enrollment_id')
			.notNull()
			.references(() => enrollments.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		cohortId: uuid('cohort_id')
			.notNull()
			.references(() => cohorts.id),
		decisionId: uuid('decision_id')
			.notNull()
			.references(() => stageDecisions.id),
		programSlug: text('program_slug').notNull(),
		programCode: text('program_code').notNull(),
		programTitle: text('program_title').notNull(),
		programTitleEn: text('program_title_en').notNull(),
		/** The program file's content hash when the certificate was issued. */
		contentVersion: text('content_version').notNull(),
		issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
		/** Last valid day; null: no expiry. */
		validUntil: date('valid_until'),
		issuedBy: uuid('issued_by').references(() => users.id),
		status: text('status').$type<'valid' | 'revoked'>().notNull().default('valid'),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		revokedBy: uuid('revoked_by').references(() => users.id),
		revokeReason: text('revoke_reason')
	},
	(t) => [
		uniqueIndex('certificates_number_key').on(t.number),
		uniqueIndex('certificates_code_key').on(t.verificationCode),
		uniqueIndex('certificates_enrollment_key').on(t.enrollmentId),
		index('certificates_user_idx').on(t.userId),
		index('certificates_issued_idx').on(t.issuedAt),
		index('certificates_valid_until_idx')
			.on(t.validUntil)
			.where(sql`status = 'valid'`)
	]
);

import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recordings } from '../recordings/schema';

export type TranscriptionState = 'pending' | 'running' | 'done' | 'failed';
/** Why a job failed, for the examiner's screen (the detail is in `lastError`). */
export type TranscriptionErrorCode =
	| 'timeout'
	| 'network'
	| 'http'
	| 'refused'
	| 'bad_response'
	| 'no_speech'
	| 'no_audio'
	| 'interrupted';

/** Automatic transcription of one recording (speech-to-text, ASR_URL). Durable so a crash or
 *  restart resumes it: a job is claimed with a lease (`lockedUntil`, renewed while it runs), so a
 *  job whose process died is picked up again once the lease runs out, by any instance. */
export const transcriptionJobs = pgTable(
	'transcription_jobs',
	{
		recordingId: uuid('recording_id')
			.primaryKey()
			.references(() => recordings.id, { onDelete: 'cascade' }),
		state: text('state').$type<TranscriptionState>().notNull().default('pending'),
		/** Tries started so far (a try cut off by a crash counts). */
		attempts: integer('attempts').notNull().default(0),
		runAfter: timestamp('run_after', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
		errorCode: text('error_code').$type<TranscriptionErrorCode>(),
		lastError: text('last_error'),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 })
	},
	(t) => [index('transcription_jobs_due_idx').on(t.state, t.runAfter)]
);

import {
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { attempts } from '../attempts/schema';
import { users } from '../people/schema';

export type TranscriptTurn = {
	speaker: 'agent' | 'customer';
	text: string;
	start: number | null;
	end: number | null;
};

/** One browser recording (one MediaRecorder stream) of a mock call or one go-live call. A call
 *  interrupted by a closed tab continues in a new recording with the next `segment`. Stored
 *  under a generated key through the storage interface (./storage.ts), never under a user name. */
export const recordings = pgTable(
	'recordings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		/** The call within the attempt (1-based). */
		callNo: integer('call_no').notNull(),
		segment: integer('segment').notNull().default(1),
		container: text('container').$type<'webm' | 'ogg'>(),
		state: text('state')
			.$type<'recording' | 'complete' | 'interrupted'>()
			.notNull()
			.default('recording'),
		chunks: integer('chunks').notNull().default(0),
		bytes: integer('bytes').notNull().default(0),
		durationMs: integer('duration_ms'),
		storageKey: text('storage_key').notNull(),
		/** Timeline of what the customer said, relative to the start of this recording (ms). */
		beats: jsonb('beats').$type<{ beatId: string; at: number }[]>().notNull().default([]),
		transcript: jsonb('transcript').$type<TranscriptTurn[]>(),
		transcriptSource: text('transcript_source').$type<'typed' | 'vtt' | 'asr'>(),
		transcriptBy: uuid('transcript_by'),
		startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		completedAt: timestamp('completed_at', { withTimezone: true, precision: 3 })
	},
	(t) => [index('recordings_attempt_idx').on(t.attemptId, t.callNo, t.segment)]
);

/** Chunks received for a recording still in progress: an index is stored once (a repeated
 *  upload of the same bytes is acknowledged, different bytes under the same index refused). */
export const recordingChunks = pgTable(
	'recording_chunks',
	{
		recordingId: uuid('recording_id')
			.notNull()
			.references(() => recordings.id, { onDelete: 'cascade' }),
		index: integer('index').notNull(),
		bytes: integer('bytes').notNull(),
		sha256: text('sha256').notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 })
			.notNull()
			.defaultNow()
	},
	(t) => [primaryKey({ columns: [t.recordingId, t.index] })]
);

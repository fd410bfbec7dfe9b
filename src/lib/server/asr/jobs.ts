// The transcription queue: a job per recording, written in the same transaction that completes
// the recording (so an acknowledged recording is never left without its job), claimed with a
// lease and `skip locked` (several server instances share the queue), retried with backoff.
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { config } from '../config';
import { db, type Executor } from '../db/client';
import { recordings, type TranscriptTurn } from '../recordings/schema';
import { transcriptionJobs, type TranscriptionErrorCode } from './schema';

export type TranscriptionJob = typeof transcriptionJobs.$inferSelect;

let enabledOverride: boolean | null = null;
/** Recordings are queued for transcription only when a speech-to-text server is configured. */
export const transcriptionEnabled = () => enabledOverride ?? config.asr !== null;
/** Tests turn the queue on and off without ASR_URL. */
export function setTranscriptionEnabled(on: boolean | null) {
	enabledOverride = on;
}

const listeners = new Set<() => void>();
/** The workers of this process are told about new jobs at once (others find them by polling).
 *  Returns the unsubscribe. */
export function notifyOnEnqueue(fn: () => void): () => void {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

/** Queues a finished recording (inside the caller's transaction). True when queued. */
export async function enqueueTranscription(ex: Executor, recordingId: string): Promise<boolean> {
	if (!transcriptionEnabled()) return false;
	const rows = await ex
		.insert(transcriptionJobs)
		.values({ recordingId })
		.onConflictDoNothing()
		.returning({ id: transcriptionJobs.recordingId });
	return rows.length > 0;
}

/** Call after the transaction that queued a job has committed. */
export function transcriptionQueued() {
	for (const fn of listeners) fn();
}

/** Claims the next due job (pending and due, or running with a lapsed lease: its process died)
 *  and starts a try: attempts + 1, lease until now + leaseMs. Null when nothing is due. */
export async function claimNextJob(leaseMs: number): Promise<TranscriptionJob | null> {
	const due = db
		.select({ id: transcriptionJobs.recordingId })
		.from(transcriptionJobs)
		.where(
			or(
				and(eq(transcriptionJobs.state, 'pending'), sql`${transcriptionJobs.runAfter} <= now()`),
				and(eq(transcriptionJobs.state, 'running'), lt(transcriptionJobs.lockedUntil, sql`now()`))
			)
		)
		.orderBy(asc(transcriptionJobs.runAfter))
		.limit(1)
		.for('update', { skipLocked: true });
	const [job] = await db
		.update(transcriptionJobs)
		.set({
			state: 'running',
			attempts: sql`${transcriptionJobs.attempts} + 1`,
			lockedUntil: sql`now() + ${leaseMs}::float8 * interval '1 millisecond'`,
			updatedAt: sql`now()`
		})
		.where(inArray(transcriptionJobs.recordingId, due))
		.returning();
	return job ?? null;
}

/** Only the holder of the current try may change a job: a worker whose lease lapsed (and whose
 *  job another worker took over) changes nothing. */
const held = (job: TranscriptionJob) =>
	and(
		eq(transcriptionJobs.recordingId, job.recordingId),
		eq(transcriptionJobs.state, 'running'),
		eq(transcriptionJobs.attempts, job.attempts)
	);

export async function renewLease(job: TranscriptionJob, leaseMs: number) {
	await db
		.update(transcriptionJobs)
		.set({ lockedUntil: sql`now() + ${leaseMs}::float8 * interval '1 millisecond'` })
		.where(held(job));
}

/** Stores the machine transcript, unless an examiner has attached one (typed or WebVTT): theirs
 *  is never replaced. The job is done either way. True when the transcript was stored. */
export async function completeJob(job: TranscriptionJob, turns: TranscriptTurn[] | null) {
	return db.transaction(async (tx) => {
		const stored = turns
			? await tx
					.update(recordings)
					.set({ transcript: turns, transcriptSource: 'asr', transcriptBy: null })
					.where(
						and(
							eq(recordings.id, job.recordingId),
							or(isNull(recordings.transcriptSource), eq(recordings.transcriptSource, 'asr'))
						)
					)
					.returning({ id: recordings.id })
			: [];
		await tx
			.update(transcriptionJobs)
			.set({
				state: 'done',
				lockedUntil: null,
				errorCode: null,
				lastError: null,
				updatedAt: sql`now()`,
				finishedAt: sql`now()`
			})
			.where(held(job));
		return stored.length > 0;
	});
}

/** A try failed: again after `retryInMs` (doubling per try) while tries remain, else failed. */
export async function failJob(
	job: TranscriptionJob,
	code: TranscriptionErrorCode,
	detail: string,
	retry: { maxAttempts: number; backoffMs: number } | null
) {
	const again = retry !== null && job.attempts < retry.maxAttempts;
	const delayMs = again ? retry.backoffMs * 2 ** (job.attempts - 1) : 0;
	await db
		.update(transcriptionJobs)
		.set({
			state: again ? 'pending' : 'failed',
			runAfter: sql`now() + ${delayMs}::float8 * interval '1 millisecond'`,
			lockedUntil: null,
			errorCode: code,
			lastError: detail.slice(0, 500),
			updatedAt: sql`now()`,
			finishedAt: again ? null : sql`now()`
		})
		.where(held(job));
	return again ? 'retry' : 'failed';
}

/** The server is stopping: the try is handed back uncounted, due at once. */
export async function releaseJob(job: TranscriptionJob) {
	await db
		.update(transcriptionJobs)
		.set({
			state: 'pending',
			attempts: sql`${transcriptionJobs.attempts} - 1`,
			runAfter: sql`now()`,
			lockedUntil: null,
			updatedAt: sql`now()`
		})
		.where(held(job));
}

/** A failed job is queued again, due at once, with its tries counted anew (the examiner asked
 *  for it, e.g. after the speech-to-text server was fixed). True when the job was failed. Call
 *  transcriptionQueued() once `ex`'s transaction has committed. */
export async function requeueFailedJob(ex: Executor, recordingId: string): Promise<boolean> {
	const rows = await ex
		.update(transcriptionJobs)
		.set({
			state: 'pending',
			attempts: 0,
			runAfter: sql`now()`,
			lockedUntil: null,
			errorCode: null,
			lastError: null,
			updatedAt: sql`now()`,
			finishedAt: null
		})
		.where(
			and(eq(transcriptionJobs.recordingId, recordingId), eq(transcriptionJobs.state, 'failed'))
		)
		.returning({ id: transcriptionJobs.recordingId });
	return rows.length > 0;
}

export type TranscriptionStatus = Pick<
	TranscriptionJob,
	'state' | 'attempts' | 'errorCode' | 'lastError'
>;

/** Job state per recording (for the examiner's screen); recordings without a job are absent. */
export async function transcriptionStatuses(
	recordingIds: string[]
): Promise<Map<string, TranscriptionStatus>> {
	if (!recordingIds.length) return new Map();
	const rows = await db
		.select({
			recordingId: transcriptionJobs.recordingId,
			state: transcriptionJobs.state,
			attempts: transcriptionJobs.attempts,
			errorCode: transcriptionJobs.errorCode,
			lastError: transcriptionJobs.lastError
		})
		.from(transcriptionJobs)
		.where(inArray(transcriptionJobs.recordingId, recordingIds));
	return new Map(rows.map(({ recordingId, ...s }) => [recordingId, s]));
}

// Recordings of mock calls: created for a call of the trainee's own open attempt, filled by
// chunks while recording (idempotent per index, resumable: the client asks which chunks the
// server has), validated by content, assembled and measured when finished, and served only to
// the trainee who made it and the staff who may grade the attempt.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, eq, max, sql } from 'drizzle-orm';
import { enqueueTranscription, transcriptionQueued } from '../asr/jobs';
import { recordAudit } from '../audit/log';
import { gradeableBy } from '../attempts/grading';
import { attempts } from '../attempts/schema';
import { db } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import { hasRole, type Actor } from '../people/roles';
import { recordingChunks, recordings } from './schema';
import { inspectRecording, sniffStart } from './sniff';
import { recordingStorage } from './storage';

export type Recording = typeof recordings.$inferSelect;

function intEnv(name: string, fallback: number) {
	const v = Number(process.env[name]);
	return Number.isInteger(v) && v > 0 ? v : fallback;
}
export const limits = {
	/** Largest recording (bytes); RECORDING_MAX_MB. */
	get maxBytes() {
		return intEnv('RECORDING_MAX_MB', 50) * 1024 * 1024;
	},
	/** Largest single chunk (bytes): a 1–2 s timeslice of Opus is a few kB. */
	maxChunkBytes: 2 * 1024 * 1024,
	maxChunks: 20_000
};

const chunkKey = (id: string, index: number) => `chunks/${id}/${String(index).padStart(6, '0')}`;

/** Opens a new recording for call `callNo` of the actor's own open attempt. */
export async function createRecording(
	actor: Actor,
	attemptId: string,
	callNo: number
): Promise<Recording> {
	assertRole(actor, 'trainee');
	const [a] = await db
		.select({
			id: attempts.id,
			state: attempts.state,
			kind: attempts.kind,
			itemIds: attempts.itemIds
		})
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.userId, actor.id)));
	if (!a || (a.kind !== 'mock_call' && a.kind !== 'mock_golive'))
		throw new RuleViolation('error_not_found');
	if (a.state !== 'in_progress') throw new RuleViolation('rec_closed');
	if (!Number.isInteger(callNo) || callNo < 1 || !a.itemIds.includes(`c${callNo}.ticket`))
		throw new RuleViolation('error_not_found');
	// A recording still open for this call was cut off (closed tab): it keeps what arrived.
	const open = await db
		.select()
		.from(recordings)
		.where(
			and(
				eq(recordings.attemptId, attemptId),
				eq(recordings.callNo, callNo),
				eq(recordings.state, 'recording')
			)
		);
	for (const r of open) await closeInterrupted(r);
	return db.transaction(async (tx) => {
		await tx.execute(
			sql`select 1 from ${attempts} where ${attempts.id} = ${attemptId}::uuid for update`
		);
		const [{ n }] = await tx
			.select({ n: max(recordings.segment) })
			.from(recordings)
			.where(and(eq(recordings.attemptId, attemptId), eq(recordings.callNo, callNo)));
		const id = crypto.randomUUID();
		const [row] = await tx
			.insert(recordings)
			.values({
				id,
				attemptId,
				userId: actor.id,
				callNo,
				segment: (n ?? 0) + 1,
				storageKey: `recordings/${id}`
			})
			.returning();
		return row;
	});
}

async function ownOpenRecording(actor: Actor, recordingId: string): Promise<Recording> {
	assertRole(actor, 'trainee');
	const [row] = await db
		.select()
		.from(recordings)
		.where(and(eq(recordings.id, recordingId), eq(recordings.userId, actor.id)));
	if (!row) throw new RuleViolation('error_not_found');
	return row;
}

/** Which chunks the server holds (the client resends the others). */
export async function recordingStatus(actor: Actor, recordingId: string) {
	const row = await ownOpenRecording(actor, recordingId);
	const chunks = await db
		.select({ index: recordingChunks.index })
		.from(recordingChunks)
		.where(eq(recordingChunks.recordingId, row.id))
		.orderBy(asc(recordingChunks.index));
	return {
		id: row.id,
		state: row.state,
		callNo: row.callNo,
		segment: row.segment,
		bytes: row.bytes,
		received: chunks.map((c) => c.index),
		durationMs: row.durationMs
	};
}

export type ChunkResult = { status: 'stored' | 'duplicate'; index: number; bytes: number };

/** Stores chunk `index` (0-based). The same bytes again: acknowledged, nothing changes. */
export async function putChunk(
	actor: Actor,
	recordingId: string,
	index: number,
	data: Uint8Array
): Promise<ChunkResult> {
	const row = await ownOpenRecording(actor, recordingId);
	if (row.state !== 'recording') throw new RuleViolation('rec_closed');
	if (!Number.isInteger(index) || index < 0 || index >= limits.maxChunks)
		throw new RuleViolation('rec_bad_chunk');
	if (data.length === 0) throw new RuleViolation('rec_empty');
	if (data.length > limits.maxChunkBytes)
		throw new RuleViolation('rec_too_large', undefined, {
			mb: Math.round(limits.maxBytes / 1024 / 1024)
		});
	const hash = encodeHexLowerCase(sha256(data));
	const [existing] = await db
		.select()
		.from(recordingChunks)
		.where(and(eq(recordingChunks.recordingId, row.id), eq(recordingChunks.index, index)));
	if (existing) {
		if (existing.sha256 === hash) return { status: 'duplicate', index, bytes: row.bytes };
		throw new RuleViolation('rec_chunk_conflict');
	}
	if (index === 0) {
		const sniff = sniffStart(data);
		if (!sniff.ok) throw new RuleViolation(sniff.code);
	}
	if (row.bytes + data.length > limits.maxBytes)
		throw new RuleViolation('rec_too_large', undefined, {
			mb: Math.round(limits.maxBytes / 1024 / 1024)
		});
	// Bytes first, then the row: a chunk is acknowledged only once both are stored.
	await recordingStorage().put(chunkKey(row.id, index), data);
	return db.transaction(async (tx) => {
		const inserted = await tx
			.insert(recordingChunks)
			.values({ recordingId: row.id, index, bytes: data.length, sha256: hash })
			.onConflictDoNothing()
			.returning({ index: recordingChunks.index });
		if (!inserted.length) {
			const [again] = await tx
				.select()
				.from(recordingChunks)
				.where(and(eq(recordingChunks.recordingId, row.id), eq(recordingChunks.index, index)));
			if (again?.sha256 !== hash) throw new RuleViolation('rec_chunk_conflict');
			return { status: 'duplicate' as const, index, bytes: row.bytes };
		}
		const [updated] = await tx
			.update(recordings)
			.set({
				bytes: sql`${recordings.bytes} + ${data.length}`,
				chunks: sql`greatest(${recordings.chunks}, ${index + 1})`
			})
			.where(eq(recordings.id, row.id))
			.returning({ bytes: recordings.bytes });
		if (updated.bytes > limits.maxBytes)
			throw new RuleViolation('rec_too_large', undefined, {
				mb: Math.round(limits.maxBytes / 1024 / 1024)
			});
		return { status: 'stored' as const, index, bytes: updated.bytes };
	});
}

/** Joins chunks 0..count-1 in order (all must be there). */
async function assemble(row: Recording, count: number): Promise<Uint8Array> {
	const parts: Uint8Array[] = [];
	for (let i = 0; i < count; i++) {
		const part = await recordingStorage().get(chunkKey(row.id, i));
		if (!part) throw new RuleViolation('rec_missing_chunks', undefined, { index: i });
		parts.push(part);
	}
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

async function dropChunks(row: Recording, count: number) {
	for (let i = 0; i < count; i++) await recordingStorage().delete(chunkKey(row.id, i));
}

/** Finishes a recording the client says has `count` chunks: assembled, checked by content and
 *  duration, stored as one object. A refused recording changes nothing (the client may resend). */
export async function finishRecording(
	actor: Actor,
	recordingId: string,
	count: number,
	beats: { beatId: string; at: number }[] = [],
	limitMs?: number
) {
	const row = await ownOpenRecording(actor, recordingId);
	const [a] = await db
		.select({ paper: attempts.paper })
		.from(attempts)
		.where(eq(attempts.id, row.attemptId));
	const maxMinutes =
		limitMs !== undefined
			? limitMs / 60_000
			: ((a?.paper as unknown as { maxRecordingMinutes?: number })?.maxRecordingMinutes ?? 20);
	if (row.state !== 'recording') {
		if (row.state === 'complete')
			return { id: row.id, durationMs: row.durationMs, bytes: row.bytes };
		throw new RuleViolation('rec_closed');
	}
	const have = await db
		.select({ index: recordingChunks.index })
		.from(recordingChunks)
		.where(eq(recordingChunks.recordingId, row.id));
	if (!Number.isInteger(count) || count < 1) throw new RuleViolation('rec_empty');
	const missing = [...Array(count).keys()].filter((i) => !have.some((h) => h.index === i));
	if (missing.length)
		throw new RuleViolation('rec_missing_chunks', undefined, { index: missing[0] });
	const bytes = await assemble(row, count);
	const inspected = inspectRecording(bytes);
	if (!inspected.ok) throw new RuleViolation(inspected.code);
	if (inspected.durationMs > maxMinutes * 60_000)
		throw new RuleViolation('rec_too_long', undefined, {
			minutes: Math.round(maxMinutes * 10) / 10
		});
	await recordingStorage().put(row.storageKey, bytes);
	const cleanBeats = (Array.isArray(beats) ? beats : [])
		.filter(
			(b) =>
				b &&
				typeof b.beatId === 'string' &&
				b.beatId.length <= 60 &&
				Number.isFinite(b.at) &&
				b.at >= 0
		)
		.slice(0, 200)
		.map((b) => ({ beatId: b.beatId, at: Math.round(b.at) }));
	// Complete and queued for speech-to-text (when configured) together, so an acknowledged
	// recording is never left without its transcription job.
	const queued = await db.transaction(async (tx) => {
		const done = await tx
			.update(recordings)
			.set({
				state: 'complete',
				container: inspected.container,
				durationMs: inspected.durationMs,
				bytes: bytes.length,
				chunks: count,
				completedAt: sql`now()`,
				beats: cleanBeats
			})
			.where(and(eq(recordings.id, row.id), eq(recordings.state, 'recording')))
			.returning({ id: recordings.id });
		return done.length > 0 && (await enqueueTranscription(tx, row.id));
	});
	if (queued) transcriptionQueued();
	await db.delete(recordingChunks).where(eq(recordingChunks.recordingId, row.id));
	await dropChunks(row, count);
	return { id: row.id, durationMs: inspected.durationMs, bytes: bytes.length };
}

/** A recording cut off (closed tab, lost device): keeps the longest complete run of chunks
 *  from 0 as an 'interrupted' recording when it is a readable recording; otherwise drops it. */
export async function closeInterrupted(row: Recording) {
	const have = (
		await db
			.select({ index: recordingChunks.index })
			.from(recordingChunks)
			.where(eq(recordingChunks.recordingId, row.id))
	).map((h) => h.index);
	let count = 0;
	while (have.includes(count)) count++;
	let durationMs: number | null = null;
	let size = 0;
	let container: 'webm' | 'ogg' | null = null;
	if (count > 0) {
		const bytes = await assemble(row, count);
		// The last chunk may end mid-element: keep what reads up to the last whole element.
		const inspected = inspectRecording(bytes);
		const part = inspected.ok
			? bytes
			: inspected.readable
				? bytes.subarray(0, inspected.readable.bytes)
				: null;
		if (part) {
			await recordingStorage().put(row.storageKey, part);
			durationMs = inspected.ok ? inspected.durationMs : inspected.readable!.durationMs;
			size = part.length;
			container = inspected.ok ? inspected.container : bytes[0] === 0x4f ? 'ogg' : 'webm';
		}
	}
	const queued = await db.transaction(async (tx) => {
		const done = await tx
			.update(recordings)
			.set({
				state: 'interrupted',
				durationMs,
				bytes: size,
				container,
				chunks: count,
				completedAt: sql`now()`
			})
			.where(and(eq(recordings.id, row.id), eq(recordings.state, 'recording')))
			.returning({ id: recordings.id });
		// What was kept of a cut-off call is transcribed like a whole one.
		return done.length > 0 && durationMs !== null && (await enqueueTranscription(tx, row.id));
	});
	if (queued) transcriptionQueued();
	await db.delete(recordingChunks).where(eq(recordingChunks.recordingId, row.id));
	await dropChunks(row, have.length ? Math.max(...have) + 1 : 0);
}

/** A stored recording for someone allowed to hear it: its maker, or staff who may grade the
 *  attempt. Anyone else: not found (ids are not to be probed). */
export async function recordingForListener(actor: Actor, recordingId: string): Promise<Recording> {
	if (!/^[0-9a-f-]{36}$/.test(recordingId)) throw new RuleViolation('error_not_found');
	const [row] = await db.select().from(recordings).where(eq(recordings.id, recordingId));
	if (!row || row.state === 'recording' || row.durationMs === null)
		throw new RuleViolation('error_not_found');
	if (row.userId === actor.id && hasRole(actor, 'trainee')) return row;
	if (hasRole(actor, 'examiner', 'teacher')) {
		const [ok] = await db
			.select({ id: attempts.id })
			.from(attempts)
			.where(and(eq(attempts.id, row.attemptId), gradeableBy(actor)));
		if (ok) return row;
	}
	throw new RuleViolation('error_not_found');
}

export async function recordingsOfAttempt(attemptId: string) {
	return db
		.select()
		.from(recordings)
		.where(eq(recordings.attemptId, attemptId))
		.orderBy(asc(recordings.callNo), asc(recordings.segment));
}

export async function auditRecording(
	actor: Actor,
	action: string,
	recordingId: string,
	ip: string | null,
	detail: Record<string, unknown> = {}
) {
	await recordAudit({ actor, action, target: `recording:${recordingId}`, ip, detail });
}

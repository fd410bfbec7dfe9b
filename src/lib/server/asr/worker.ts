// The background transcriber: started by the server at start-up when ASR_URL is set, stopped on
// shutdown. Takes due jobs from the queue (./jobs.ts), at most `concurrency` at a time, sends the
// recording to the speech-to-text server, attributes speakers and stores the transcript; the
// phrase checker then runs on it like on a typed one. Nothing lives only in memory: a crash
// leaves the job in the database, where this or another instance takes it up again.
import { eq } from 'drizzle-orm';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { attempts } from '../attempts/schema';
import { CONTENT_ROOT } from '../cases/library';
import type { AsrConfig } from '../config';
import { db } from '../db/client';
import type { MockKey } from '../mock-calls/attempts';
import type { Recording } from '../recordings/recordings';
import { recordings } from '../recordings/schema';
import { recordingStorage } from '../recordings/storage';
import { AsrError, transcribe } from './client';
import {
	claimNextJob,
	completeJob,
	failJob,
	notifyOnEnqueue,
	releaseJob,
	renewLease,
	type TranscriptionJob
} from './jobs';
import { turnsFromSegments, type CustomerLine } from './speakers';

export type TranscriptionWorker = {
	/** Look for due jobs now. */
	wake(): void;
	/** Stops taking jobs, cuts off the ones in flight (handed back uncounted) and waits for them. */
	stop(): Promise<void>;
};

export type WorkerOptions = {
	/** How often the queue is looked at when idle (other instances' jobs, retries falling due). */
	pollMs?: number;
	/** A claimed job is another worker's to take once its lease lapses; renewed while it runs. */
	leaseMs?: number;
	log?: (message: string) => void;
};

export function startTranscriptionWorker(
	asr: AsrConfig,
	{ pollMs = 5_000, leaseMs = 60_000, log = console.log }: WorkerOptions = {}
): TranscriptionWorker {
	const halt = new AbortController();
	const inFlight = new Set<Promise<void>>();
	let wakeUp: (() => void) | null = null;
	// Set by a wake-up that came while the loop was busy, so it is not lost.
	let woken = false;
	const wake = () => {
		woken = true;
		wakeUp?.();
		wakeUp = null;
	};
	const unsubscribe = notifyOnEnqueue(wake);

	async function run(job: TranscriptionJob) {
		const renew = setInterval(
			() => void renewLease(job, leaseMs).catch(() => {}),
			Math.max(50, leaseMs / 3)
		);
		try {
			if (job.attempts > asr.maxAttempts) {
				// Every try so far ended with the process (a crash while transcribing this one).
				await failJob(job, 'interrupted', 'the server stopped during every try', null);
				return;
			}
			const [rec] = await db.select().from(recordings).where(eq(recordings.id, job.recordingId));
			if (!rec || rec.transcriptSource === 'typed' || rec.transcriptSource === 'vtt') {
				// An examiner's transcript is there already: nothing to do.
				await completeJob(job, null);
				return;
			}
			const audio = await recordingStorage().get(rec.storageKey);
			if (!audio || audio.length === 0)
				throw new AsrError('no_audio', 'the recording has no stored audio', true);
			const segments = await transcribe(audio, rec.container ?? 'webm', asr, halt.signal);
			const turns = turnsFromSegments(segments, await customerLines(rec));
			if (!turns.length) throw new AsrError('no_speech', 'no speech recognised', true);
			const stored = await completeJob(job, turns);
			log(
				`transcription: recording ${rec.id} ${stored ? `${turns.length} turns` : 'kept the examiner’s transcript'}`
			);
		} catch (e) {
			if (halt.signal.aborted) {
				await releaseJob(job).catch(() => {});
				return;
			}
			const err =
				e instanceof AsrError ? e : new AsrError('network', (e as Error).message ?? String(e));
			const outcome = await failJob(
				job,
				err.code,
				err.message,
				err.permanent ? null : { maxAttempts: asr.maxAttempts, backoffMs: asr.backoffMs }
			).catch((dbError) => {
				log(`transcription: could not record a failure: ${(dbError as Error).message}`);
				return 'unrecorded';
			});
			log(
				`transcription: recording ${job.recordingId} try ${job.attempts} failed (${err.code}: ${err.message}); ${outcome}`
			);
		} finally {
			clearInterval(renew);
		}
	}

	const loop = (async () => {
		while (!halt.signal.aborted) {
			while (!halt.signal.aborted && inFlight.size < asr.concurrency) {
				let job: TranscriptionJob | null = null;
				try {
					job = await claimNextJob(leaseMs);
				} catch (e) {
					log(`transcription: cannot read the queue: ${(e as Error).message}`);
				}
				if (!job) break;
				const p: Promise<void> = run(job).finally(() => {
					inFlight.delete(p);
					wake();
				});
				inFlight.add(p);
			}
			if (halt.signal.aborted) break;
			if (woken) {
				woken = false;
				continue;
			}
			await new Promise<void>((r) => {
				const t = setTimeout(r, pollMs);
				wakeUp = () => {
					clearTimeout(t);
					r();
				};
			});
			woken = false;
		}
	})();

	return {
		wake,
		async stop() {
			halt.abort();
			wake();
			unsubscribe();
			await loop;
			await Promise.allSettled([...inFlight]);
		}
	};
}

/** The customer's lines of the call this recording belongs to, with when each was played in the
 *  recording (its beats) and how long its clip is (content/scenarios/<slug>/beats/index.json). */
async function customerLines(rec: Recording): Promise<CustomerLine[]> {
	const [a] = await db
		.select({ key: attempts.key })
		.from(attempts)
		.where(eq(attempts.id, rec.attemptId));
	const call = (a?.key as unknown as MockKey | null)?.calls?.[String(rec.callNo)];
	if (!call) return [];
	let clips: Record<string, { seconds?: number }> = {};
	try {
		clips = JSON.parse(
			await readFile(
				resolve(CONTENT_ROOT, 'scenarios', call.scenarioSlug, 'beats', 'index.json'),
				'utf8'
			)
		);
	} catch {
		// No clip lengths: estimate them from the text below.
	}
	const played = rec.beats.map((b) => {
		const beat = call.beats.find((x) => x.id === b.beatId);
		const seconds = clips[b.beatId]?.seconds ?? (beat ? beat.customer.length / 4 : null);
		return { text: beat?.customer ?? '', at: b.at, seconds };
	});
	return [...played, ...call.beats.map((b) => ({ text: b.customer, at: null, seconds: null }))];
}

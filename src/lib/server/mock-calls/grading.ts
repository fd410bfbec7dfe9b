// The examiner's side of mock calls and shifts: the queue, the grading / scenario screen (the
// scenario with persona, beats, branches and what to listen for; the recordings with the beat
// timeline; transcripts and phrase-checker hits; automatic measures and shift KPIs). Rubric
// scoring itself is the case-grading engine (../cases/grading.ts: drafts with optimistic
// versions, double marking, moderation, settle → finishGrading → dossier).
import { and, eq, inArray } from 'drizzle-orm';
import {
	requeueFailedJob,
	transcriptionEnabled,
	transcriptionQueued,
	transcriptionStatuses
} from '../asr/jobs';
import { recordAudit } from '../audit/log';
import { gradeableBy } from '../attempts/grading';
import { attempts, responses } from '../attempts/schema';
import { markingStatus } from '../cases/grading';
import { phraseRules } from '../cases/library';
import { scoreRubric } from '../cases/rubric-scoring';
import { caseGradings } from '../cases/schema';
import { renderMarkdown } from '../content/markdown';
import { db } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { checkTranscript, type PhraseHit } from '../phrase-check/check';
import type { CallType } from '../phrase-check/rules';
import {
	parsePlainTranscript,
	parseVtt,
	TranscriptError,
	type Transcript
} from '../phrase-check/vtt';
import { recordings, type TranscriptTurn } from '../recordings/schema';
import { mockKeyOf, mockPaperOf } from './attempts';
import { callMeasures, cleanTicket, shiftKpis, type CallEvents } from './measures';
import { isUuid } from '$lib/uuid';

async function gradeableMock(actor: Actor, attemptId: string) {
	assertRole(actor, 'examiner', 'teacher');
	const [row] = await db
		.select()
		.from(attempts)
		.where(
			and(
				eq(attempts.id, attemptId),
				inArray(attempts.kind, ['mock_call', 'mock_golive']),
				gradeableBy(actor)
			)
		);
	if (!row) throw new RuleViolation('error_not_found');
	return row;
}

/** A recording of an attempt the actor may grade; not-found otherwise. */
async function gradeableRecording(actor: Actor, recordingId: string) {
	assertRole(actor, 'examiner', 'teacher');
	if (!isUuid(recordingId)) throw new RuleViolation('error_not_found');
	const [rec] = await db.select().from(recordings).where(eq(recordings.id, recordingId));
	if (!rec) throw new RuleViolation('error_not_found');
	await gradeableMock(actor, rec.attemptId);
	return rec;
}

function hitsOf(turns: TranscriptTurn[] | null, callType: string): PhraseHit[] | null {
	if (!turns) return null;
	return checkTranscript(
		turns.map((t, i) => ({ ...t, line: i + 1 })),
		phraseRules(),
		{ callType: callType as CallType, hungUpFirst: null }
	);
}

export async function mockGradingView(actor: Actor, attemptId: string) {
	const row = await gradeableMock(actor, attemptId);
	const paper = mockPaperOf(row);
	const key = mockKeyOf(row);
	const [trainee] = await db
		.select({ id: users.id, displayName: users.displayName, employeeNo: users.employeeNo })
		.from(users)
		.where(eq(users.id, row.userId));
	const saved = await db.select().from(responses).where(eq(responses.attemptId, row.id));
	const answers = Object.fromEntries(saved.map((r) => [r.itemId, r.value]));
	const recs = await db.select().from(recordings).where(eq(recordings.attemptId, row.id));
	const asr = await transcriptionStatuses(recs.map((r) => r.id));
	const gradings = await db.select().from(caseGradings).where(eq(caseGradings.attemptId, row.id));
	const status = markingStatus(key, gradings);
	const mine = gradings.find((g) => g.graderId === actor.id && g.role === 'marker') ?? null;
	const markerIds = gradings.filter((g) => g.role === 'marker').map((g) => g.graderId);
	const open = row.state === 'submitted' || row.state === 'in_progress';
	const canMark = open && (mine !== null || markerIds.length < status.required);
	const calls = paper.calls.map((c) => {
		const k = key.calls[String(c.n)];
		const callRecs = recs
			.filter((r) => r.callNo === c.n && r.state !== 'recording')
			.sort((a, b) => a.segment - b.segment);
		const transcriptRec = callRecs.find((r) => r.transcript);
		const hits = hitsOf(transcriptRec?.transcript ?? null, k.callType);
		const measures = callMeasures(
			(answers[`c${c.n}.events`] ?? {}) as CallEvents,
			answers[`c${c.n}.ticket`],
			k,
			key.ring,
			hits ? hits.length : null
		);
		const { notes, ...script } = k;
		return {
			n: c.n,
			scenario: {
				...script,
				defaultPath: c.beats,
				timeBudgetSeconds: c.timeBudgetSeconds,
				notesHtml: notes ? renderMarkdown(notes) : ''
			},
			ticket: answers[`c${c.n}.ticket`] ? cleanTicket(answers[`c${c.n}.ticket`]) : null,
			measures,
			recordings: callRecs.map((r) => ({
				id: r.id,
				segment: r.segment,
				state: r.state,
				durationMs: r.durationMs,
				bytes: r.bytes,
				beats: r.beats,
				transcript: r.transcript,
				transcriptSource: r.transcriptSource,
				asr: asr.get(r.id) ?? null
			})),
			hits
		};
	});
	const rubricPerCall =
		paper.kind === 'mock_golive' && mine
			? calls.map((c) => {
					const prefix = `c${c.n}-`;
					const items = key.rubric.sections.filter((s) => s.id.startsWith(prefix));
					return scoreRubric({ sections: items }, mine.scores).percent;
				})
			: [];
	return {
		id: row.id,
		kind: paper.kind,
		mode: paper.mode,
		state: row.state,
		attemptNo: row.attemptNo,
		submittedAt: row.submittedAt,
		trainee,
		title: paper.title,
		titleEn: paper.titleEn,
		rubric: key.rubric,
		weights: key.weights,
		passMark: key.passMark,
		ring: key.ring,
		status,
		canMark,
		canSubmit: row.state === 'submitted',
		mine: mine
			? {
					scores: mine.scores,
					comments: mine.comments,
					summary: mine.summary,
					reason: mine.reason,
					version: mine.version,
					state: mine.state,
					percent: mine.percent,
					savedAt: mine.updatedAt.toISOString()
				}
			: null,
		result:
			row.state === 'graded' || row.state === 'released'
				? { percent: row.percent, passed: row.passed }
				: null,
		calls,
		kpis:
			paper.kind === 'mock_golive'
				? shiftKpis(
						calls.map((c) => c.measures),
						rubricPerCall
					)
				: null,
		breaks: (answers['shift.breaks'] ?? []) as { start: string; end: string | null }[]
	};
}

export function parseTranscriptInput(text: string, format: 'typed' | 'vtt'): TranscriptTurn[] {
	if (text.length > 100_000)
		throw new RuleViolation('error_too_long', 'transcript', { max: 100000 });
	let t: Transcript;
	try {
		t = format === 'vtt' ? parseVtt(text) : parsePlainTranscript(text);
	} catch (e) {
		if (e instanceof TranscriptError)
			throw new RuleViolation('mc_transcript_invalid', 'transcript', {
				line: e.sourceLine,
				reason: e.reason
			});
		throw e;
	}
	if (!t.turns.length) throw new RuleViolation('mc_transcript_empty', 'transcript');
	return t.turns.map((x) => ({ speaker: x.speaker, text: x.text, start: x.start, end: x.end }));
}

/** Attaches a typed or uploaded (WebVTT) transcript to a recording; the phrase checker runs on it. */
export async function saveTranscript(
	actor: Actor,
	recordingId: string,
	text: string,
	format: 'typed' | 'vtt',
	ip: string | null
) {
	await gradeableRecording(actor, recordingId);
	const turns = parseTranscriptInput(text, format);
	await db
		.update(recordings)
		.set({ transcript: turns, transcriptSource: format, transcriptBy: actor.id })
		.where(eq(recordings.id, recordingId));
	await recordAudit({
		actor,
		action: 'recording.transcript',
		target: `recording:${recordingId}`,
		ip,
		detail: { format, turns: turns.length }
	});
	return turns.length;
}

/** An examiner or teacher who may grade the attempt has its failed automatic transcription tried
 *  again. Not when the recording has a transcript of theirs (the machine's would not replace
 *  it) or speech-to-text is off. */
export async function retryTranscription(actor: Actor, recordingId: string, ip: string | null) {
	const rec = await gradeableRecording(actor, recordingId);
	if (rec.transcriptSource && rec.transcriptSource !== 'asr')
		throw new RuleViolation('asr_retry_has_transcript');
	if (!transcriptionEnabled()) throw new RuleViolation('asr_off');
	await db.transaction(async (tx) => {
		if (!(await requeueFailedJob(tx, recordingId))) throw new RuleViolation('asr_retry_not_failed');
		await recordAudit(
			{ actor, action: 'recording.transcription_retry', target: `recording:${recordingId}`, ip },
			tx
		);
	});
	transcriptionQueued();
}

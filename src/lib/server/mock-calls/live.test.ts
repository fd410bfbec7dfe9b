import { and, eq } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempts } from '../attempts/schema';
import { auditLog } from '../audit/schema';
import { submitCaseGrading } from '../cases/grading';
import { rubricItems } from '../cases/rubric';
import { db } from '../db/client';
import { makeActor } from '../testing/fixtures';
import { createRecording, finishRecording, putChunk } from '../recordings/recordings';
import { LocalDiskStorage, setRecordingStorage } from '../recordings/storage';
import { recordCallEvent, startMockAttempt, submitMock } from './attempts';
import { mockGradingView } from './grading';
import {
	callSeconds,
	liveCallState,
	liveConsoleView,
	liveQueue,
	liveStatus,
	saveLiveDraft
} from './live';
import { code, recordingFixture, setupMockCohort } from './test-fixtures';

const WEBM = recordingFixture('tone-3s.webm');
const status = async (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e as { status?: number }).status ?? (e as { code?: string }).code ?? String(e)
	);
const draft = (
	scores: Record<string, number>,
	comments: unknown[],
	expectedVersion: number,
	summary = ''
) => ({ scores, comments, summary, expectedVersion });

beforeAll(() => setRecordingStorage(new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'live-')))));
afterAll(() => setRecordingStorage(null));

describe('the call state the live console shows (pure)', () => {
	const at = (s: string) => new Date(`2026-05-04T09:${s}Z`);
	const open = { state: 'in_progress', submittedAt: null };
	const rec = (state: 'recording' | 'complete' | 'interrupted', start: string, bytes = 100) => ({
		state,
		startedAt: at(start),
		bytes
	});

	it('waits, runs from the first recording of the call, stops at the hang-up', () => {
		expect(liveCallState(open, [], {}, at('00:00')).phase).toBe('waiting');
		// A closed tab continues in a second segment: the clock still runs from the first.
		const running = liveCallState(
			open,
			[rec('interrupted', '01:00', 4000), rec('recording', '01:40', 1000)],
			{ answer: at('00:59').toISOString() },
			at('02:30')
		);
		expect(running).toMatchObject({
			phase: 'on-call',
			startedAt: at('01:00').toISOString(),
			endedAt: null,
			segments: 2,
			bytes: 5000
		});
		expect(callSeconds(running, at('02:30'))).toBe(90);
		const ended = liveCallState(
			open,
			[rec('complete', '01:00')],
			{ answer: at('00:59').toISOString(), hangup: at('03:05').toISOString() },
			at('04:00')
		);
		expect(ended).toMatchObject({ phase: 'ended', endedAt: at('03:05').toISOString() });
		expect(callSeconds(ended, at('09:00'))).toBe(125);
		const handedIn = liveCallState(
			{ state: 'submitted', submittedAt: at('03:30') },
			[rec('complete', '01:00')],
			{},
			at('04:00')
		);
		expect(handedIn).toMatchObject({ phase: 'handed-in', endedAt: at('03:30').toISOString() });
		expect(callSeconds({ startedAt: null, endedAt: null }, at('04:00'))).toBeNull();
	});
});

describe('examiner-led mock call, scored live', () => {
	it('only staff of the trainee’s cohort open the console, and only for an examiner-led call', async () => {
		const s = await setupMockCohort();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'examiner-led', null);
		const selfPaced = await startMockAttempt(s.other, 'mock-call', 'self-paced', null);
		const hr = await makeActor(['hr']);
		const admin = await makeActor(['admin']);

		expect((await liveConsoleView(s.examiner, id)).id).toBe(id);
		expect((await liveConsoleView(s.teacher, id)).id).toBe(id);
		// Roles that do not grade are refused outright; staff of other cohorts find nothing.
		for (const who of [s.trainee, s.other, hr, admin]) {
			expect(await status(liveConsoleView(who, id))).toBe(403);
			expect(await status(liveStatus(who, id))).toBe(403);
			expect(await status(liveQueue(who))).toBe(403);
			expect(await status(saveLiveDraft(who, id, draft({}, [], 0), null))).toBe(403);
		}
		expect(await code(liveConsoleView(s.outsider, id))).toBe('error_not_found');
		expect(await code(saveLiveDraft(s.outsider, id, draft({}, [], 0), null))).toBe(
			'error_not_found'
		);
		expect(await liveQueue(s.outsider)).toEqual([]);
		// A self-paced call has no live console.
		expect(await code(liveConsoleView(s.examiner, selfPaced))).toBe('error_not_found');
		expect(await code(saveLiveDraft(s.examiner, selfPaced, draft({}, [], 0), null))).toBe(
			'error_not_found'
		);
		expect(await code(liveConsoleView(s.examiner, crypto.randomUUID()))).toBe('error_not_found');
	});

	it('the queue follows the call: waiting, on the call, ended, then gone once handed in', async () => {
		const s = await setupMockCohort();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'examiner-led', null);
		await startMockAttempt(s.other, 'mock-call', 'self-paced', null);

		const waiting = await liveQueue(s.examiner);
		expect(waiting.map((r) => r.attemptId)).toEqual([id]);
		expect(waiting[0]).toMatchObject({
			traineeName: s.trainee.displayName,
			cohortName: '模拟班',
			mine: false,
			takenByOther: false,
			call: { phase: 'waiting', startedAt: null }
		});
		expect(waiting[0].scenario.title.length).toBeGreaterThan(0);

		await recordCallEvent(s.trainee, id, 1, 'answer');
		const rec = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, rec.id, 0, WEBM);
		const onCall = (await liveQueue(s.teacher))[0].call;
		expect(onCall).toMatchObject({ phase: 'on-call', segments: 1, bytes: WEBM.length });
		expect(onCall.startedAt).toBe(rec.startedAt.toISOString());

		await recordCallEvent(s.trainee, id, 1, 'hangup');
		await finishRecording(s.trainee, rec.id, 1);
		const ended = await liveStatus(s.examiner, id);
		expect(ended.phase).toBe('ended');
		expect(Date.parse(ended.endedAt!)).toBeGreaterThanOrEqual(rec.startedAt.getTime());

		await submitMock(s.trainee, id);
		expect(await liveQueue(s.examiner)).toEqual([]);
		expect((await liveStatus(s.examiner, id)).phase).toBe('handed-in');
	});

	it('scores and timestamped notes saved during the call continue on the grading page', async () => {
		const s = await setupMockCohort();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'examiner-led', null);
		const view = await liveConsoleView(s.examiner, id);
		// The script is there for the examiner to play the customer from.
		expect(view.scenario.beats.length).toBeGreaterThanOrEqual(2);
		expect(view.scenario.defaultPath[0]).toBe(view.scenario.beats[0].id);
		expect(view.scenario.persona.mood).toBeTruthy();
		expect(view.canMark).toBe(true);
		expect(view.mine).toBeNull();

		await recordCallEvent(s.trainee, id, 1, 'answer');
		const rec = await createRecording(s.trainee, id, 1);
		const items = rubricItems(view.rubric).map((i) => i.id);
		const note = {
			id: 'n1',
			caseSlug: 'live',
			at: 12,
			line: null,
			itemId: null,
			text: '开场报了工号'
		};
		const first = await saveLiveDraft(
			s.examiner,
			id,
			draft({ [items[0]]: 5, [items[1]]: 3 }, [note], 0),
			'10.0.0.9'
		);
		expect(first.version).toBe(1);
		// A second tab (or the grading page) on the old version is refused, nothing changes.
		expect(await code(saveLiveDraft(s.examiner, id, draft({ [items[0]]: 1 }, [], 0), null))).toBe(
			'ca_grading_conflict'
		);
		const late = { ...note, id: 'n2', at: 95, text: '客户发火时语速加快' };
		const second = await saveLiveDraft(
			s.examiner,
			id,
			draft({ [items[0]]: 5, [items[1]]: 3, [items[2]]: 1 }, [note, late], first.version),
			null
		);
		expect(second.version).toBe(2);
		// Bad input changes nothing: an over-long note is refused with its rule.
		expect(
			await code(
				saveLiveDraft(
					s.examiner,
					id,
					draft({}, [{ ...note, text: 'x'.repeat(1001) }], second.version),
					null
				)
			)
		).toBe('error_too_long');

		const again = await liveConsoleView(s.examiner, id);
		expect(again.mine).toMatchObject({
			version: 2,
			state: 'draft',
			scores: { [items[0]]: 5, [items[1]]: 3, [items[2]]: 1 }
		});
		expect(again.mine!.comments.map((c) => [c.at, c.text])).toEqual([
			[12, '开场报了工号'],
			[95, '客户发火时语速加快']
		]);
		expect((await liveQueue(s.examiner))[0].mine).toBe(true);

		// Another grader finds the marker's place taken: they may read the script, not score.
		const teacherView = await liveConsoleView(s.teacher, id);
		expect(teacherView.canMark).toBe(false);
		expect(teacherView.mine).toBeNull();
		expect((await liveQueue(s.teacher))[0].takenByOther).toBe(true);
		expect(await code(saveLiveDraft(s.teacher, id, draft({}, [], 0), null))).toBe(
			'ca_markers_full'
		);

		// Staff writes are in the audit log.
		const audits = await db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.target, `attempt:${id}`), eq(auditLog.action, 'case_grading.marker.draft'))
			);
		expect(audits).toHaveLength(2);
		expect(audits[0].actorId).toBe(s.examiner.id);

		// The call ends, the trainee hands in; grading continues from the same draft.
		await putChunk(s.trainee, rec.id, 0, WEBM);
		await finishRecording(s.trainee, rec.id, 1);
		await recordCallEvent(s.trainee, id, 1, 'hangup');
		await submitMock(s.trainee, id);
		const g = await mockGradingView(s.examiner, id);
		expect(g.mode).toBe('examiner-led');
		expect(g.calls[0].recordings[0].durationMs).toBeGreaterThan(2900);
		expect(g.mine).toMatchObject({ version: 2, scores: again.mine!.scores });
		expect(g.mine!.comments.map((c) => c.at)).toEqual([12, 95]);
		const all = Object.fromEntries(items.map((i) => [i, 5]));
		await submitCaseGrading(
			s.examiner,
			id,
			'marker',
			{ scores: all, comments: g.mine!.comments, summary: '', expectedVersion: g.mine!.version },
			null
		);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(row.state).toBe('graded');
		expect(row.percent).toBe(100);
		// Graded: nothing to score live any more.
		expect((await liveConsoleView(s.examiner, id)).canMark).toBe(false);
		expect(await code(saveLiveDraft(s.examiner, id, draft(all, [], 3), null))).toBe(
			'grading_closed'
		);
	});
});

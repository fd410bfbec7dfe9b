import { and, eq } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveResponse } from '../attempts/attempts';
import { attempts } from '../attempts/schema';
import { auditLog } from '../audit/schema';
import { saveCaseDraft, submitCaseGrading } from '../cases/grading';
import { rubricItems } from '../cases/rubric';
import { buildCatalog } from '../content/catalog';
import { readContentDir } from '../content/disk';
import { db } from '../db/client';
import { dossierEvents } from '../dossier/schema';
import {
	createRecording,
	finishRecording,
	putChunk,
	recordingForListener,
	recordingStatus
} from '../recordings/recordings';
import { LocalDiskStorage, setRecordingStorage } from '../recordings/storage';
import {
	mockKeyOf,
	mockTakingView,
	recordCallEvent,
	startMockAttempt,
	submitMock
} from './attempts';
import { mockGradingView, saveTranscript } from './grading';
import { code, recordingFixture, setupMockCohort } from './test-fixtures';

const WEBM = recordingFixture('tone-3s.webm');
const OGG = recordingFixture('tone-3s.ogg');
const split = (b: Uint8Array, n: number) =>
	Array.from({ length: n }, (_, i) =>
		b.subarray(Math.floor((i * b.length) / n), Math.floor(((i + 1) * b.length) / n))
	);

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'rec-'));
	setRecordingStorage(new LocalDiskStorage(dir));
});
afterAll(() => setRecordingStorage(null));

const setup = setupMockCohort;
describe('definitions in the content index', () => {
	it('parses mock-call and mock-golive, and reports a bad pool with file and line', () => {
		const files = readContentDir(join(process.cwd(), 'content'));
		const ok = buildCatalog(files);
		expect(ok.errors).toEqual([]);
		expect(ok.mockContent.exams.map((e) => e.slug).sort()).toEqual(['mock-call', 'mock-golive']);
		expect(ok.mockContent.scenarios.length).toBeGreaterThanOrEqual(12);
		expect(ok.warnings.join()).not.toMatch(/mock/);
		const bad = buildCatalog({
			...files,
			'/content/exams/mock-golive.md': files['/content/exams/mock-golive.md']
				.replace('  - sc-repeat-outage', '  - no-such-scenario')
				.replace('calls: 2', 'calls: 0')
		});
		expect(bad.errors.map((e) => e.message).join('\n')).toMatch(
			/content\/exams\/mock-golive\.md:\d+: calls/
		);
		const bad2 = buildCatalog({
			...files,
			'/content/exams/mock-golive.md': files['/content/exams/mock-golive.md'].replace(
				'  - sc-repeat-outage',
				'  - no-such-scenario'
			)
		});
		const line =
			files['/content/exams/mock-golive.md']
				.split('\n')
				.findIndex((l) => l.includes('sc-repeat-outage')) + 1;
		expect(bad2.errors.map((e) => e.message)).toContain(
			`/content/exams/mock-golive.md:${line}: scenario "no-such-scenario" has no folder content/scenarios/no-such-scenario/`
		);
	});
});

describe('recordings: chunked upload, validation, access', () => {
	it('stores chunks idempotently, resumes from what the server has, and measures the assembled call', async () => {
		const s = await setup();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'self-paced', null);
		const rec = await createRecording(s.trainee, id, 1);
		const parts = split(WEBM, 3);
		expect((await putChunk(s.trainee, rec.id, 1, parts[1])).status).toBe('stored');
		expect((await putChunk(s.trainee, rec.id, 1, parts[1])).status).toBe('duplicate');
		expect(await code(putChunk(s.trainee, rec.id, 1, parts[2]))).toBe('rec_chunk_conflict');
		expect(await code(finishRecording(s.trainee, rec.id, 3))).toBe('rec_missing_chunks');
		await putChunk(s.trainee, rec.id, 0, parts[0]);
		// The client lost the connection: it asks what arrived and sends only the rest.
		expect((await recordingStatus(s.trainee, rec.id)).received).toEqual([0, 1]);
		await putChunk(s.trainee, rec.id, 2, parts[2]);
		const done = await finishRecording(s.trainee, rec.id, 3, [{ beatId: 'hello', at: 0 }]);
		expect(done.bytes).toBe(WEBM.length);
		expect(done.durationMs).toBeGreaterThan(2900);
		expect(done.durationMs).toBeLessThan(3200);
		// Finishing again is harmless; uploading after finishing is refused.
		expect((await finishRecording(s.trainee, rec.id, 3)).durationMs).toBe(done.durationMs);
		expect(await code(putChunk(s.trainee, rec.id, 3, parts[0]))).toBe('rec_closed');
	});

	it('a recording cut off by a closed tab keeps what arrived; the call continues in a new segment', async () => {
		const s = await setup();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'self-paced', null);
		const first = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, first.id, 0, OGG);
		const second = await createRecording(s.trainee, id, 1);
		expect(second.segment).toBe(2);
		const kept = await recordingForListener(s.trainee, first.id);
		expect(kept.state).toBe('interrupted');
		expect(kept.durationMs).toBe(3000);
		// A WebM cut mid-element keeps what reads up to the last whole element.
		const third = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, third.id, 0, WEBM.subarray(0, WEBM.length - 9));
		await createRecording(s.trainee, id, 1);
		const cut = await recordingForListener(s.examiner, third.id);
		expect(cut.state).toBe('interrupted');
		expect(cut.durationMs).toBeGreaterThan(2500);
		expect(cut.bytes).toBeLessThan(WEBM.length - 9);
	});

	it('refuses executables, HTML/SVG, zero bytes, truncated, over-size and over-duration recordings', async () => {
		const s = await setup();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'self-paced', null);
		const enc = (t: string) => new TextEncoder().encode(t);
		const cases: [Uint8Array, string][] = [
			[new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'rec_executable'],
			[new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'rec_executable'],
			[enc('<!DOCTYPE html><html><script>alert(1)</script>'), 'rec_markup'],
			[enc('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'rec_markup'],
			[enc('ID3\u0003 not a webm'), 'rec_not_audio'],
			[new Uint8Array(), 'rec_empty']
		];
		for (const [bytes, expected] of cases) {
			const rec = await createRecording(s.trainee, id, 1);
			expect(await code(putChunk(s.trainee, rec.id, 0, bytes))).toBe(expected);
		}
		const truncated = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, truncated.id, 0, WEBM.subarray(0, WEBM.length - 9));
		expect(await code(finishRecording(s.trainee, truncated.id, 1))).toBe('rec_truncated');
		const long = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, long.id, 0, WEBM);
		expect(await code(finishRecording(s.trainee, long.id, 1, [], 2000))).toBe('rec_too_long');
		process.env.RECORDING_MAX_MB = '1';
		try {
			const big = await createRecording(s.trainee, id, 1);
			await putChunk(s.trainee, big.id, 0, WEBM);
			await putChunk(s.trainee, big.id, 1, new Uint8Array(700_000));
			expect(await code(putChunk(s.trainee, big.id, 2, new Uint8Array(700_000)))).toBe(
				'rec_too_large'
			);
		} finally {
			delete process.env.RECORDING_MAX_MB;
		}
	});

	it('only the maker and the cohort staff hear a recording; other ids are refused', async () => {
		const s = await setup();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'self-paced', null);
		const rec = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, rec.id, 0, WEBM);
		await finishRecording(s.trainee, rec.id, 1);
		expect((await recordingForListener(s.trainee, rec.id)).id).toBe(rec.id);
		expect((await recordingForListener(s.examiner, rec.id)).id).toBe(rec.id);
		expect((await recordingForListener(s.teacher, rec.id)).id).toBe(rec.id);
		expect(await code(recordingForListener(s.other, rec.id))).toBe('error_not_found');
		expect(await code(recordingForListener(s.outsider, rec.id))).toBe('error_not_found');
		expect(await code(recordingStatus(s.other, rec.id))).toBe('error_not_found');
		expect(await code(putChunk(s.other, rec.id, 5, WEBM))).toBe('error_not_found');
		expect(await code(createRecording(s.other, id, 1))).toBe('error_not_found');
		expect(await code(mockGradingView(s.outsider, id))).toBe('error_not_found');
	});
});

describe('mock call → examiner grading → dossier', () => {
	it('self-paced: the trainee never gets the key; the examiner grades with the rubric engine', async () => {
		const s = await setup();
		const id = await startMockAttempt(s.trainee, 'mock-call', 'self-paced', null);
		const view = await mockTakingView(s.trainee, id);
		const served = JSON.stringify(view);
		for (const word of [
			'listenFor',
			'keyPoints',
			'resolution',
			'callType',
			'expectedActions',
			'levels',
			'persona',
			'"customer"'
		])
			expect(served).not.toContain(word);
		await recordCallEvent(s.trainee, id, 1, 'answer');
		const rec = await createRecording(s.trainee, id, 1);
		await putChunk(s.trainee, rec.id, 0, WEBM);
		await finishRecording(s.trainee, rec.id, 1);
		await recordCallEvent(s.trainee, id, 1, 'hangup');
		// Examiner-led scoring may start while the call is going on; submit only after hand-in.
		const rubric = mockKeyOf(
			(await db.select().from(attempts).where(eq(attempts.id, id)))[0]
		).rubric;
		const scores = Object.fromEntries(rubricItems(rubric).map((i) => [i.id, 5]));
		const { version } = await saveCaseDraft(
			s.examiner,
			id,
			'marker',
			{ scores, comments: [{ text: '开场规范', at: 2 }], summary: '', expectedVersion: 0 },
			null
		);
		expect(
			await code(
				submitCaseGrading(
					s.examiner,
					id,
					'marker',
					{ scores, comments: [], summary: '', expectedVersion: version },
					null
				)
			)
		).toBe('grading_closed');
		await submitMock(s.trainee, id);
		expect(await code(saveTranscript(s.outsider, rec.id, '坐席：您好', 'typed', null))).toBe(
			'error_not_found'
		);
		expect(
			await saveTranscript(
				s.examiner,
				rec.id,
				'坐席：您好，星联通信，工号 1024 为您服务。\n客户：你好。\n坐席：这是公司的规定，没有办法。',
				'typed',
				null
			)
		).toBe(3);
		const g = await mockGradingView(s.examiner, id);
		expect(g.calls[0].recordings[0].durationMs).toBeGreaterThan(2900);
		expect(g.calls[0].hits!.length).toBeGreaterThan(0);
		const mine = g.mine!;
		await submitCaseGrading(
			s.examiner,
			id,
			'marker',
			{ scores, comments: mine.comments, summary: '很好', expectedVersion: mine.version },
			null
		);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(row.state).toBe('graded');
		expect(row.percent).toBe(100);
		const events = await db
			.select()
			.from(dossierEvents)
			.where(and(eq(dossierEvents.userId, s.trainee.id), eq(dossierEvents.kind, 'assessment')));
		expect(events.some((e) => e.title.includes('模拟电话'))).toBe(true);
		const audits = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.target, `recording:${rec.id}`));
		expect(audits.map((a) => a.action)).toContain('recording.transcript');
	});

	it('go-live: two calls with server-stamped ringing, tickets and measures weighted into the result', async () => {
		const s = await setup(2);
		const id = await startMockAttempt(s.trainee, 'mock-golive', 'self-paced', null, () => 0.5);
		const view = await mockTakingView(s.trainee, id);
		expect(view.paper.calls).toHaveLength(2);
		const key = mockKeyOf((await db.select().from(attempts).where(eq(attempts.id, id)))[0]);
		expect(new Set(Object.values(key.calls).map((c) => c.callType)).size).toBe(2);
		expect(await code(recordCallEvent(s.trainee, id, 1, 'answer'))).toBe('mc_not_ringing');
		for (const call of view.paper.calls) {
			const k = key.calls[String(call.n)];
			for (const e of ['offer', 'answer', 'hangup'] as const)
				await recordCallEvent(s.trainee, id, call.n, e);
			const captures = Object.fromEntries(k.mustCapture.map((c) => [c.id, '已记录']));
			expect(
				(
					await saveResponse(
						s.trainee,
						id,
						`c${call.n}.ticket`,
						{
							classification: call.n === 1 ? k.callType : 'consultation',
							captures,
							keyPoints: 'x',
							resolution: 'y',
							followUp: '',
							escalated: k.callType === 'special-complaint'
						},
						1
					)
				).status
			).toBe('saved');
			await recordCallEvent(s.trainee, id, call.n, 'wrapup');
		}
		await submitMock(s.trainee, id);
		const g = await mockGradingView(s.teacher, id);
		expect(g.kpis).toMatchObject({
			calls: 2,
			answeredInTimeRate: 100,
			classificationAccuracy: 50,
			captureRate: 100
		});
		const scores = Object.fromEntries(rubricItems(key.rubric).map((i) => [i.id, 3]));
		expect(Object.keys(scores).every((k) => /^c[12]-/.test(k))).toBe(true);
		const { version } = await saveCaseDraft(
			s.teacher,
			id,
			'marker',
			{ scores, comments: [], summary: '', expectedVersion: 0 },
			null
		);
		await submitCaseGrading(
			s.teacher,
			id,
			'marker',
			{ scores, comments: [], summary: '', expectedVersion: version },
			null
		);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		// rubric 60% × 0.8 + measures (1 + 1/3·(1+0+1)… ) × 20
		const measures = ((1 + 1 + 1) / 3 + (1 + 0 + 1) / 3) / 2;
		expect(row.percent).toBeCloseTo(Math.round((60 * 0.8 + measures * 20) * 10) / 10, 1);
		expect(row.state).toBe('graded');
	});
});

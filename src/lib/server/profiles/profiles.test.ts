import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CommitTracker, lcsLength, typingMetrics } from '../../typing';
import { enrollments } from '../cohorts/schema';
import { FULL_SCORES, setupCohort } from '../cohorts/test-fixtures';
import { db } from '../db/client';
import { dossierTimeline } from '../dossier/events';
import { RuleViolation } from '../errors';
import { finaliseProfile, getProfile, saveProfileDraft } from './profiles';
import { PASSAGES } from './passages';
import { profileRecords } from './schema';
import { recordTypingAttempt, typingAttemptsOf } from './typing';

const rule = (code: string) => expect.objectContaining({ code }) as unknown as RuleViolation;
const input = (scores = FULL_SCORES(5)) => ({
	scores,
	itemNotes: { 'self-intro': '表达自然' },
	overallNote: '总体不错'
});

describe('pre-training record', () => {
	it('only the homeroom teacher of the active cohort writes it', async () => {
		const a = await setupCohort(1);
		const t = a.trainees[0];
		for (const who of [a.otherTeacher, a.examiner, a.hr, a.admin, t])
			await expect(saveProfileDraft(who, t.id, input(), null)).rejects.toMatchObject({
				status: 403
			});
		await expect(saveProfileDraft(a.teacher, t.id, input(), null)).resolves.toMatchObject({
			version: 1
		});
	});

	it('draft → final; final is read-only even in the database; a correction is a new version with a reason', async () => {
		const a = await setupCohort(1);
		const t = a.trainees[0];
		await saveProfileDraft(
			a.teacher,
			t.id,
			{ scores: { 'self-intro': 3 }, itemNotes: {}, overallNote: '' },
			null
		);
		await expect(
			saveProfileDraft(
				a.teacher,
				t.id,
				{ scores: { 'self-intro': 4 }, itemNotes: {}, overallNote: '' },
				null
			)
		).rejects.toEqual(rule('cohorts_error_profile_level'));
		await expect(
			finaliseProfile(
				a.teacher,
				t.id,
				{ scores: { 'self-intro': 3 }, itemNotes: {}, overallNote: '' },
				null
			)
		).rejects.toEqual(rule('cohorts_error_profile_incomplete'));
		const [e0] = await db.select().from(enrollments).where(eq(enrollments.userId, t.id));
		expect(e0.stageStatus).toBe('not_started');
		const v1 = await finaliseProfile(
			a.teacher,
			t.id,
			input(FULL_SCORES(3, { empathy: 1, patience: 5 })),
			null
		);
		expect(v1.version).toBe(1);
		const [e1] = await db.select().from(enrollments).where(eq(enrollments.userId, t.id));
		expect(e1.stageStatus).toBe('in_training');
		await expect(
			db.update(profileRecords).set({ overallNote: 'changed' }).where(eq(profileRecords.id, v1.id))
		).rejects.toThrow();
		await expect(saveProfileDraft(a.teacher, t.id, input(), null)).rejects.toEqual(
			rule('cohorts_error_correction_reason')
		);
		const v2 = await saveProfileDraft(
			a.teacher,
			t.id,
			{ ...input(), correctionReason: '第 3 项记错了' },
			null
		);
		expect(v2.version).toBe(2);
		// Until the correction is final, the dossier keeps showing version 1.
		const seen = await getProfile(a.hr, t.id);
		expect(seen.final?.version).toBe(1);
		expect(seen.draft).toBeNull();
		await finaliseProfile(a.teacher, t.id, { ...input(), correctionReason: '第 3 项记错了' }, null);
		const after = await getProfile(a.teacher, t.id);
		expect(after.final?.version).toBe(2);
		expect(after.versions.map((v) => v.version)).toEqual([2, 1]);
		const timeline = await dossierTimeline(a.teacher, t.id);
		expect(timeline.filter((e) => e.kind === 'profile')).toHaveLength(2);
	});

	it('the trainee sees scores but not the teacher’s notes; other trainees see nothing', async () => {
		const a = await setupCohort(2);
		const [t, other] = a.trainees;
		await finaliseProfile(a.teacher, t.id, input(), null);
		const own = await getProfile(t, t.id);
		expect(own.final?.scores['self-intro']).toBe(5);
		expect(own.final?.itemNotes).toEqual({});
		expect(own.final?.overallNote).toBe('');
		await expect(getProfile(other, t.id)).rejects.toMatchObject({ status: 403 });
		await expect(getProfile(a.otherExaminer, t.id)).rejects.toMatchObject({ status: 403 });
		expect((await getProfile(a.examiner, t.id)).final?.overallNote).toBe('总体不错');
	});
});

describe('typing metrics', () => {
	it('counts committed characters, not keystrokes, through IME composition', () => {
		const tr = new CommitTracker();
		// Typing 您好 with pinyin: keystrokes n-i-n-h-a-o show up as composing input, then one commit.
		tr.compositionStart();
		for (const [i, v] of ['n', 'ni', 'nin', 'ninh', 'ninha', 'ninhao'].entries())
			tr.input(v, true, 1000 + i * 100);
		expect(tr.committed).toBe('');
		tr.compositionEnd('您好', 2000);
		expect(tr.committed).toBe('您好');
		// Punctuation typed directly (not composing) commits at once.
		tr.input('您好，', false, 2500);
		tr.compositionStart();
		tr.input('您好，xing', true, 2700);
		tr.compositionEnd('您好，星联', 62_000);
		expect(tr.committed).toBe('您好，星联');
		expect(tr.elapsedMs).toBe(60_000);
		const m = typingMetrics('您好，星联通信', tr.committed, tr.elapsedMs);
		expect(m).toEqual({
			committedChars: 5,
			correctChars: 5,
			cpm: 5,
			accuracy: 1,
			meetsLine: false
		});
	});

	it('accuracy follows the passage in order; one skipped character does not fail the rest', () => {
		expect(lcsLength([...'ABCDE'], [...'ACDE'])).toBe(4);
		const m = typingMetrics('客服中心的灯亮起来', '客服中的灯亮了起来', 6000);
		expect(m.committedChars).toBe(9);
		expect(m.correctChars).toBe(8);
		expect(m.accuracy).toBeCloseTo(0.889, 3);
		expect(m.cpm).toBe(80);
		expect(m.meetsLine).toBe(true);
		expect(typingMetrics('abc', '', 60_000).accuracy).toBe(0);
	});
});

describe('typing attempts', () => {
	it('a trainee records attempts; the teacher sees each one; others are refused', async () => {
		const a = await setupCohort(2);
		const [t, other] = a.trainees;
		const p = PASSAGES[0];
		await expect(
			recordTypingAttempt(a.teacher, { passageId: p.id, text: p.text, durationMs: 60_000 })
		).rejects.toMatchObject({ status: 403 });
		await expect(
			recordTypingAttempt(t, { passageId: 'nope', text: 'x', durationMs: 60_000 })
		).rejects.toEqual(rule('cohorts_typing_unknown_passage'));
		await expect(
			recordTypingAttempt(t, { passageId: p.id, text: '   ', durationMs: 60_000 })
		).rejects.toEqual(rule('cohorts_typing_empty'));
		await expect(
			recordTypingAttempt(t, { passageId: p.id, text: p.text, durationMs: 100 })
		).rejects.toEqual(rule('cohorts_typing_bad_duration'));
		const first = await recordTypingAttempt(t, {
			passageId: p.id,
			text: p.text.slice(0, 60),
			durationMs: 60_000
		});
		expect(first.cpm).toBeLessThan(80);
		await recordTypingAttempt(t, {
			passageId: p.id,
			text: p.text.slice(0, 120),
			durationMs: 60_000
		});
		const seen = await typingAttemptsOf(a.teacher, t.id);
		expect(seen).toHaveLength(2);
		await expect(typingAttemptsOf(other, t.id)).rejects.toMatchObject({ status: 403 });
		await expect(typingAttemptsOf(a.otherTeacher, t.id)).rejects.toMatchObject({ status: 403 });
		const timeline = await dossierTimeline(t, t.id);
		expect(timeline.filter((e) => e.kind === 'typing').map((e) => e.passed)).toEqual([false, true]);
		await expect(db.execute(sql`delete from typing_attempts`)).rejects.toThrow();
	});
});

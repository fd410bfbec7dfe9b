import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { FULL_SCORES, setupCohort } from '../cohorts/test-fixtures';
import { db } from '../db/client';
import { finaliseProfile } from '../profiles/profiles';
import { dossierTimeline, recordDossierEvent } from './events';
import { addCohortNote, addTraineeNote, listCohortNotes } from './notes';
import { dossierView } from './view';

describe('dossier timeline', () => {
	it('other features append entries through recordDossierEvent; the table is append-only', async () => {
		const a = await setupCohort(1);
		const t = a.trainees[0];
		const { id } = await recordDossierEvent(db, {
			userId: t.id,
			kind: 'assessment',
			at: new Date('2026-03-10T08:00:00Z'),
			title: '第一次考核 · 笔试',
			titleEn: 'First assessment: written test',
			score: 72,
			maxScore: 100,
			passed: true,
			actorId: a.examiner.id,
			ref: { type: 'attempt', id: '11111111-1111-4111-8111-111111111111' }
		});
		const timeline = await dossierTimeline(a.teacher, t.id);
		expect(timeline.find((e) => e.id === id)).toMatchObject({
			kind: 'assessment',
			score: 72,
			passed: true,
			ref: { type: 'attempt' }
		});
		await expect(db.execute(sql`update dossier_events set score = 100`)).rejects.toMatchObject({
			cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) })
		});
		await expect(db.execute(sql`delete from dossier_events`)).rejects.toMatchObject({
			cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) })
		});
	});

	it('private notes: the teacher only; shared notes: HR too; trainees and examiners never', async () => {
		const a = await setupCohort(2);
		const [t, other] = a.trainees;
		await addTraineeNote(
			a.teacher,
			t.id,
			{ kind: 'concern', body: '最近情绪低落，需要多谈谈', sharedWithHr: false },
			null
		);
		await addTraineeNote(
			a.teacher,
			t.id,
			{ kind: 'praise', body: '主动帮助同学', sharedWithHr: true },
			null
		);
		await expect(
			addTraineeNote(a.otherTeacher, t.id, { kind: 'talk', body: 'x', sharedWithHr: false }, null)
		).rejects.toMatchObject({ status: 403 });
		await expect(
			addTraineeNote(a.hr, t.id, { kind: 'talk', body: 'x', sharedWithHr: false }, null)
		).rejects.toMatchObject({ status: 403 });
		await expect(
			addTraineeNote(
				a.teacher,
				t.id,
				{ kind: 'gossip' as 'talk', body: 'x', sharedWithHr: false },
				null
			)
		).rejects.toMatchObject({ code: 'cohorts_error_note_kind' });
		await expect(
			addTraineeNote(a.teacher, t.id, { kind: 'talk', body: '  ', sharedWithHr: false }, null)
		).rejects.toMatchObject({ code: 'error_required' });
		const notes = async (who: typeof t) =>
			(await dossierTimeline(who, t.id))
				.filter((e) => e.kind === 'note')
				.map((e) => e.detail?.noteKind);
		expect(await notes(a.teacher)).toEqual(['concern', 'praise']);
		expect(await notes(a.hr)).toEqual(['praise']);
		expect(await notes(a.admin)).toEqual(['praise']);
		expect(await notes(a.examiner)).toEqual([]);
		expect(await notes(t)).toEqual([]);
		await expect(dossierTimeline(other, t.id)).rejects.toMatchObject({ status: 403 });
		await expect(dossierTimeline(a.otherTeacher, t.id)).rejects.toMatchObject({ status: 403 });
		await expect(dossierTimeline(a.otherExaminer, t.id)).rejects.toMatchObject({ status: 403 });
	});

	it('cohort notes follow the same privacy', async () => {
		const a = await setupCohort(0);
		await addCohortNote(
			a.teacher,
			a.cohortId,
			{ kind: 'observation', body: '班级气氛活跃', sharedWithHr: false },
			null
		);
		await addCohortNote(
			a.teacher,
			a.cohortId,
			{ kind: 'talk', body: '下周安排老员工分享', sharedWithHr: true },
			null
		);
		expect((await listCohortNotes(a.teacher, a.cohortId)).length).toBe(2);
		expect((await listCohortNotes(a.hr, a.cohortId)).map((n) => n.kind)).toEqual(['talk']);
		expect(await listCohortNotes(a.examiner, a.cohortId)).toEqual([]);
		await expect(listCohortNotes(a.otherTeacher, a.cohortId)).rejects.toMatchObject({
			status: 403
		});
		await expect(
			addCohortNote(a.hr, a.cohortId, { kind: 'talk', body: 'x', sharedWithHr: true }, null)
		).rejects.toMatchObject({ status: 403 });
	});

	it('the dossier view: radar scores, strengths, weaknesses and the courses that train them', async () => {
		const a = await setupCohort(1);
		const t = a.trainees[0];
		await finaliseProfile(
			a.teacher,
			t.id,
			{
				scores: FULL_SCORES(5, { empathy: 1, 'speaking-rate': 3 }),
				itemNotes: {},
				overallNote: ''
			},
			null
		);
		const d = await dossierView(a.teacher, t.id);
		expect(d.weaknesses).toEqual(['empathy']);
		expect(d.toImprove).toEqual(['speaking-rate']);
		expect(d.strengths).toHaveLength(14);
		expect(d.recommendations.length).toBeGreaterThan(0);
		expect(
			d.recommendations.every((r) =>
				r.skills.every((s) => s === 'empathy' || s === 'speaking-rate')
			)
		).toBe(true);
		expect(d.enrollment?.state.status).toBe('in_training');
		expect(d.courses.length).toBeGreaterThan(0);
		const own = await dossierView(t, t.id);
		expect(own.access).toBe('self');
		await expect(dossierView(a.otherTeacher, t.id)).rejects.toMatchObject({ status: 403 });
	});
});

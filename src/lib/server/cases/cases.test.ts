import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { saveResponse, submitMine } from '../attempts/attempts';
import { gradingQueue, releaseResults } from '../attempts/grading';
import { attempts } from '../attempts/schema';
import { auditLog } from '../audit/schema';
import { cohortExaminers, cohorts, enrollments } from '../cohorts/schema';
import { getProgram, listCourses, loadCatalog } from '../content/index';
import { db } from '../db/client';
import { dossierEvents } from '../dossier/schema';
import { completeLesson } from '../learning/progress';
import type { Actor } from '../people/roles';
import { makeActor } from '../testing/fixtures';
import { caseResultView, caseTakingView, startCaseAttempt, caseKeyOf } from './attempts';
import { itemIdOf } from './auto-score';
import {
	caseGradingView,
	caseQueue,
	calibrationReport,
	saveCaseDraft,
	submitCaseGrading
} from './grading';
import { canHearCase, caseForPlayer, listLibrary } from './library';
import { rubricItems } from './rubric';

const EXAM = 'case-analysis';

async function setup() {
	const teacher = await makeActor(['teacher', 'examiner']);
	const examiner = await makeActor(['examiner']);
	const examiner2 = await makeActor(['examiner']);
	const [c] = await db
		.insert(cohorts)
		.values({
			name: '案例班',
			programSlug: 'onboarding',
			startsOn: '2026-01-01',
			endsOn: '2099-12-31',
			teacherId: teacher.id
		})
		.returning();
	await db.insert(cohortExaminers).values([
		{ cohortId: c.id, userId: examiner.id },
		{ cohortId: c.id, userId: examiner2.id }
	]);
	const trainee = await makeActor(['trainee']);
	await db.insert(enrollments).values({
		cohortId: c.id,
		userId: trainee.id,
		programSlug: 'onboarding',
		stageIndex: 1,
		stageStatus: 'in_training'
	});
	for (const stage of getProgram().stages.slice(0, 2))
		for (const slug of stage.courses)
			for (const l of listCourses().find((x) => x.slug === slug)!.lessons)
				await completeLesson(trainee, l);
	return { teacher, examiner, examiner2, trainee, cohort: c };
}

/** Deterministic draw: the first two pool cases in order. */
const firstTwo = () => 0.999;

const KEY_WORDS = [
	'referenceClassification',
	'referenceAnalysis',
	'annotations',
	'callType',
	'"rubric"',
	'summary'
];

function levels(all: 5 | 3 | 1, overrides: Record<string, number> = {}) {
	const rubric = loadCatalog().caseContent.rubrics.find((r) => r.slug === 'case-analysis')!;
	return { ...Object.fromEntries(rubricItems(rubric).map((i) => [i.id, all])), ...overrides };
}

async function submittedAttempt() {
	const s = await setup();
	const id = await startCaseAttempt(s.trainee, EXAM, null, firstTwo);
	const view = await caseTakingView(s.trainee, id);
	const [first, second] = view.paper.cases;
	const key = caseKeyOf((await db.select().from(attempts).where(eq(attempts.id, id)))[0]);
	const ref = key.cases[first.slug];
	// Right classification on case 1, wrong on case 2; two marks on case 1, one of them right.
	await saveResponse(
		s.trainee,
		id,
		itemIdOf(first.slug, 'classification'),
		ref.referenceClassification,
		1
	);
	await saveResponse(s.trainee, id, itemIdOf(second.slug, 'classification'), 'consultation', 1);
	const target = ref.annotations.find((a) => a.category !== 'good-practice')!;
	await saveResponse(
		s.trainee,
		id,
		itemIdOf(first.slug, 'marks'),
		[
			{ at: target.start + 0.5, category: target.category, line: target.line },
			{ at: 1, category: 'pushy-selling' }
		],
		1
	);
	await saveResponse(
		s.trainee,
		id,
		itemIdOf(first.slug, 'should'),
		'先安抚客户，再复述确认问题，最后关怀结束。',
		1
	);
	await submitMine(s.trainee, id);
	return { ...s, id, first, second, ref, target };
}

describe('case library', () => {
	it('indexes the case content and validates it', () => {
		const cc = loadCatalog().caseContent;
		expect(cc.cases.length).toBeGreaterThanOrEqual(8);
		expect(cc.rubrics.map((r) => r.slug).sort()).toEqual(['case-analysis', 'mock-call']);
		const mock = cc.rubrics.find((r) => r.slug === 'mock-call')!;
		expect(rubricItems(mock).map((i) => i.id)).toEqual(
			expect.arrayContaining([
				'voice',
				'etiquette',
				'adaptability',
				'service-attitude',
				'open-call',
				'attentive-listening',
				'note-key-points',
				'confirm-and-answer',
				'close-call'
			])
		);
		expect(cc.exams[0].definition).toMatchObject({
			kind: 'case_analysis',
			stage: 'comprehensive-assessment',
			doubleMarking: true,
			release: 'manual'
		});
		expect(loadCatalog().warnings.join('\n')).not.toContain('case-analysis');
	});

	it('keeps assessment cases and references from trainees; staff see everything', async () => {
		const { trainee, teacher } = await setup();
		const pool = loadCatalog().caseContent.exams[0].definition.pool;
		const lib = await listLibrary(trainee);
		expect(lib.cases.some((c) => pool.includes(c.slug))).toBe(false);
		expect(lib.hiddenForAssessment).toBe(pool.length);
		const open = lib.cases[0].slug;
		const player = await caseForPlayer(trainee, open);
		expect(player.staff).toBeNull();
		expect(JSON.stringify(player)).not.toContain('referenceAnalysis');
		await expect(caseForPlayer(trainee, pool[0])).rejects.toMatchObject({
			code: 'error_not_found'
		});
		expect(await canHearCase(trainee, pool[0])).toBe(false);
		expect(await canHearCase(trainee, open)).toBe(true);
		const staffView = await caseForPlayer(teacher, pool[0]);
		expect(staffView.staff?.hits.length).toBeGreaterThan(0);
		expect(
			(await listLibrary(teacher, { callType: 'service' })).cases.every(
				(c) => c.callType === 'service'
			)
		).toBe(true);
		expect(
			(await listLibrary(teacher, { skill: 'empathy' })).cases.every((c) =>
				c.skills.includes('empathy')
			)
		).toBe(true);
	});
});

describe('case-analysis attempts', () => {
	it('serves no key to the taker and lets the trainee hear only their cases', async () => {
		const { trainee, id, first } = await submittedAttempt().then(async (s) => s);
		const view = await caseTakingView(trainee, id);
		const json = JSON.stringify(view);
		for (const word of KEY_WORDS) expect(json, word).not.toContain(word);
		expect(await canHearCase(trainee, first.slug)).toBe(true);
		// Before release there is no result.
		await expect(caseResultView(trainee, id)).rejects.toMatchObject({ code: 'exam_not_released' });
	});

	it('scores classification and marks at submit and leaves the rubric pending', async () => {
		const { id } = await submittedAttempt();
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(row.state).toBe('submitted');
		expect(row.itemScores?.classification).toMatchObject({ points: 1, max: 2 });
		expect(row.itemScores?.rubric).toMatchObject({ correct: null });
	});
});

describe('double marking', () => {
	it('grades blind, refuses stale versions, moderates a disagreement and releases', async () => {
		const s = await submittedAttempt();
		// Shown to the grader: precision and recall of the trainee's marks.
		const gv = await caseGradingView(s.examiner, s.id);
		const c1 = gv.cases.find((c) => c.slug === s.first.slug)!;
		expect(c1.match.precision).toBe(0.5);
		expect(c1.match.recall).toBeCloseTo(1 / c1.annotations.length, 2);
		expect((await gradingQueue(s.examiner)).find((q) => q.attemptId === s.id)?.kind).toBe(
			'case_analysis'
		);

		// Examiner drafts; a second tab with the old version is refused.
		const v1 = await saveCaseDraft(
			s.examiner,
			s.id,
			'marker',
			{
				scores: levels(5),
				comments: [{ caseSlug: s.first.slug, at: 12.3, line: 4, text: '这里应先致歉' }],
				summary: '',
				expectedVersion: 0
			},
			null
		);
		expect(v1.version).toBe(1);
		const v2 = await saveCaseDraft(
			s.examiner,
			s.id,
			'marker',
			{ scores: levels(5), comments: [], summary: '一', expectedVersion: 1 },
			null
		);
		expect(v2.version).toBe(2);
		await expect(
			saveCaseDraft(
				s.examiner,
				s.id,
				'marker',
				{ scores: levels(3), comments: [], summary: '旧窗口', expectedVersion: 1 },
				null
			)
		).rejects.toMatchObject({ code: 'ca_grading_conflict' });
		// A fresh start over an existing grading is a conflict too.
		await expect(
			saveCaseDraft(
				s.examiner,
				s.id,
				'marker',
				{ scores: {}, comments: [], summary: '', expectedVersion: 0 },
				null
			)
		).rejects.toMatchObject({ code: 'ca_grading_conflict' });

		// The teacher marks independently and cannot see the examiner's scores yet.
		const blind = await caseGradingView(s.teacher, s.id);
		expect(blind.others).toEqual([]);
		expect(JSON.stringify(blind)).not.toContain('这里应先致歉');
		await saveCaseDraft(
			s.teacher,
			s.id,
			'marker',
			{ scores: levels(3), comments: [], summary: '', expectedVersion: 0 },
			null
		);
		// A third examiner cannot join as marker.
		await expect(
			saveCaseDraft(
				s.examiner2,
				s.id,
				'marker',
				{ scores: {}, comments: [], summary: '', expectedVersion: 0 },
				null
			)
		).rejects.toMatchObject({ code: 'ca_markers_full' });
		// Incomplete rubric cannot be submitted.
		await expect(
			submitCaseGrading(
				s.teacher,
				s.id,
				'marker',
				{ scores: { 'call-type-reasoning': 3 }, comments: [], summary: '', expectedVersion: 1 },
				null
			)
		).rejects.toMatchObject({ code: 'ca_rubric_incomplete' });

		const r1 = await submitCaseGrading(
			s.examiner,
			s.id,
			'marker',
			{ scores: levels(5), comments: [], summary: '整体不错', expectedVersion: 2 },
			null
		);
		expect(r1).toEqual({ settled: false, needsModeration: false });
		const r2 = await submitCaseGrading(
			s.teacher,
			s.id,
			'marker',
			{ scores: levels(3), comments: [], summary: '', expectedVersion: 2 },
			null
		);
		// 100 vs 60: beyond the 15-point threshold.
		expect(r2).toEqual({ settled: false, needsModeration: true });
		const after = await caseGradingView(s.examiner, s.id);
		expect(after.others.map((o) => o.percent).sort()).toEqual([100, 60]);
		expect(after.status).toMatchObject({ needsModeration: true, difference: 40 });
		expect(after.canModerate).toBe(false); // a marker who is not the homeroom teacher
		await expect(
			saveCaseDraft(
				s.examiner,
				s.id,
				'moderator',
				{ scores: levels(5), comments: [], summary: '', expectedVersion: 0 },
				null
			)
		).rejects.toMatchObject({ code: 'ca_not_moderator' });
		expect((await caseQueue(s.examiner2)).find((q) => q.attemptId === s.id)?.task).toBe('moderate');

		// The homeroom teacher moderates with a reason.
		await expect(
			submitCaseGrading(
				s.teacher,
				s.id,
				'moderator',
				{
					scores: levels(5, { 'rewrite-lines': 3 }),
					comments: [],
					summary: '',
					reason: '',
					expectedVersion: 0
				},
				null
			)
		).rejects.toMatchObject({ code: 'ca_reason_required' });
		const done = await submitCaseGrading(
			s.teacher,
			s.id,
			'moderator',
			{
				scores: levels(5, { 'rewrite-lines': 3 }),
				comments: [],
				summary: '',
				reason: '改写部分仍有生硬之处，其余同意高分。',
				expectedVersion: 1
			},
			null
		);
		expect(done.settled).toBe(true);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, s.id));
		expect(row.state).toBe('graded');
		// rubric: (1+2+1+2+2×0.6+1)/9 = 91.1 %; classification 1/2; marks F1 of 0.5 precision, 1/n recall.
		expect(row.itemScores?.rubric?.points).toBe(91.1);
		expect(row.percent).toBeGreaterThan(55);
		const events = await db
			.select()
			.from(dossierEvents)
			.where(and(eq(dossierEvents.userId, s.trainee.id), eq(dossierEvents.kind, 'assessment')));
		expect(events.some((e) => e.visibility === 'hr' && e.title.includes('录音案例分析'))).toBe(
			true
		);
		// Staff writes are in the audit log.
		const audit = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.target, `attempt:${s.id}`));
		expect(audit.map((a) => a.action)).toEqual(
			expect.arrayContaining([
				'case_grading.marker.draft',
				'case_grading.marker.submit',
				'case_grading.moderator.submit'
			])
		);
		// Graded: no more changes.
		await expect(
			saveCaseDraft(
				s.examiner2,
				s.id,
				'moderator',
				{ scores: {}, comments: [], summary: '', expectedVersion: 0 },
				null
			)
		).rejects.toMatchObject({ code: 'grading_closed' });

		// Calibration: the examiner is compared with the moderator, the teacher (who moderated) with the examiner.
		const cal = await calibrationReport(s.teacher);
		const ex = cal.find((r) => r.graderId === s.examiner.id)!;
		expect(ex).toMatchObject({ attempts: 1, items: 6, exact: 0.833, adjacent: 1 });
		expect(ex.bias).toBeGreaterThan(0);
		const te = cal.find((r) => r.graderId === s.teacher.id)!;
		expect(te).toMatchObject({ exact: 0, bias: -1 });

		// Release by the teacher, then the trainee sees the result and the reference.
		expect(await releaseResults(s.teacher, EXAM, null)).toBe(1);
		const result = await caseResultView(s.trainee, s.id);
		expect(result.moderationReason).toContain('改写');
		expect(result.cases[0].referenceClassification).toBeTruthy();
		expect(result.cases[0].hits.length).toBeGreaterThan(0);
		const page = await caseTakingView(s.trainee, s.id);
		expect(page.state).toBe('released');
		// Released: the trainee's library now includes the analysed cases.
		expect((await listLibrary(s.trainee)).cases.some((c) => c.slug === s.first.slug)).toBe(true);
	});

	it('settles on the mean when the markers agree, and keeps other people out', async () => {
		const s = await submittedAttempt();
		const outsider = await makeActor(['examiner']);
		await expect(caseGradingView(outsider, s.id)).rejects.toMatchObject({
			code: 'error_not_found'
		});
		await expect(
			saveCaseDraft(
				outsider,
				s.id,
				'marker',
				{ scores: {}, comments: [], summary: '', expectedVersion: 0 },
				null
			)
		).rejects.toMatchObject({ code: 'error_not_found' });
		await expect(caseGradingView(s.trainee, s.id)).rejects.toMatchObject({ status: 403 });
		await submitCaseGrading(
			s.examiner,
			s.id,
			'marker',
			{ scores: levels(5), comments: [], summary: '', expectedVersion: 0 },
			null
		);
		const r = await submitCaseGrading(
			s.examiner2,
			s.id,
			'marker',
			{
				scores: levels(5, { 'problem-spotting': 3 }),
				comments: [],
				summary: '',
				expectedVersion: 0
			},
			null
		);
		expect(r.settled).toBe(true);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, s.id));
		expect(row.itemScores?.rubric?.points).toBe(95.6);
	});

	it('two concurrent saves from the same version: one wins, the other gets a conflict', async () => {
		const s = await submittedAttempt();
		await saveCaseDraft(
			s.examiner,
			s.id,
			'marker',
			{ scores: {}, comments: [], summary: '', expectedVersion: 0 },
			null
		);
		const results = await Promise.allSettled([
			saveCaseDraft(
				s.examiner,
				s.id,
				'marker',
				{ scores: levels(5), comments: [], summary: 'A', expectedVersion: 1 },
				null
			),
			saveCaseDraft(
				s.examiner,
				s.id,
				'marker',
				{ scores: levels(3), comments: [], summary: 'B', expectedVersion: 1 },
				null
			)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(rejected.reason).toMatchObject({ code: 'ca_grading_conflict' });
	});
});

export type { Actor };

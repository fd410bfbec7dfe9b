import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { sessions } from '../auth/schema';
import { createSession, generateSessionToken, sessionIdFromToken } from '../auth/session';
import { cohortExaminers, cohorts, enrollments } from '../cohorts/schema';
import { config } from '../config';
import { findExam, getProgram, listCourses } from '../content/index';
import { db } from '../db/client';
import { dossierEvents } from '../dossier/schema';
import { fullKey } from '../exams/versions';
import { addStudyTime, completeLesson, openLesson } from '../learning/progress';
import type { Actor } from '../people/roles';
import { userRoles, users } from '../people/schema';
import { makeActor } from '../testing/fixtures';
import { analyseItems } from './analysis';
import {
	attemptForTaker,
	writtenAttemptForTaker,
	examAvailability,
	reviewAttempt,
	saveResponse,
	saveResponseInSession,
	startAttempt,
	submitAttempt,
	submitMine,
	submitOverdueAttempts
} from './attempts';
import {
	attemptForGrading,
	gradedAttemptsOf,
	gradeShortItem,
	gradingQueue,
	releaseResults
} from './grading';
import { GRACE_MS } from './lifecycle';
import { attempts, responses } from './schema';

async function cohortWith(teacher: Actor, examiner: Actor | null) {
	const [c] = await db
		.insert(cohorts)
		.values({
			name: '测试班',
			programSlug: 'onboarding',
			startsOn: '2026-01-01',
			endsOn: '2099-12-31',
			teacherId: teacher.id
		})
		.returning();
	if (examiner) await db.insert(cohortExaminers).values({ cohortId: c.id, userId: examiner.id });
	return c;
}

/** A trainee in the cohort, at the first stage, with the stage's courses done. */
async function readyTrainee(cohortId: string, stageIndex = 0) {
	const trainee = await makeActor(['trainee']);
	await db.insert(enrollments).values({
		cohortId,
		userId: trainee.id,
		programSlug: 'onboarding',
		stageIndex,
		stageStatus: 'in_training'
	});
	const program = getProgram();
	for (const stage of program.stages.slice(0, stageIndex + 1))
		for (const slug of stage.courses)
			for (const l of listCourses().find((c) => c.slug === slug)!.lessons)
				await completeLesson(trainee, l);
	return trainee;
}

async function setup() {
	const teacher = await makeActor(['teacher']);
	const examiner = await makeActor(['examiner']);
	const cohort = await cohortWith(teacher, examiner);
	const trainee = await readyTrainee(cohort.id);
	return { teacher, examiner, cohort, trainee };
}

const KEY_FIELDS = [
	'"correct"',
	'"explanation"',
	'"reference"',
	'"markingPoints"',
	'"pairs"',
	'"answer"',
	'"passMark"'
];

describe('written-test attempts', () => {
	it('gates the start on enrollment, stage and courses', async () => {
		const loner = await makeActor(['trainee']);
		expect((await examAvailability(loner, 'first-written')).blocked).toBe('exam_no_enrollment');
		const teacher = await makeActor(['teacher']);
		const cohort = await cohortWith(teacher, null);
		const fresh = await makeActor(['trainee']);
		await db
			.insert(enrollments)
			.values({ cohortId: cohort.id, userId: fresh.id, programSlug: 'onboarding' });
		expect((await examAvailability(fresh, 'first-written')).blocked).toBe(
			'exam_courses_unfinished'
		);
		expect((await examAvailability(fresh, 'comprehensive-written')).blocked).toBe(
			'exam_wrong_stage'
		);
		await expect(startAttempt(fresh, 'first-written')).rejects.toMatchObject({
			code: 'exam_courses_unfinished'
		});
		// Lessons opened (and studied) count for nothing until completed; all but one, neither.
		const lessons = getProgram().stages[0].courses.flatMap(
			(slug) => listCourses().find((c) => c.slug === slug)!.lessons
		);
		for (const l of lessons) {
			await openLesson(fresh, l);
			await addStudyTime(fresh, l, 60);
		}
		for (const l of lessons.slice(1)) await completeLesson(fresh, l);
		expect((await examAvailability(fresh, 'first-written')).blocked).toBe(
			'exam_courses_unfinished'
		);
		await completeLesson(fresh, lessons[0]);
		expect((await examAvailability(fresh, 'first-written')).blocked).toBeNull();
	});

	it('snapshots the paper, sends no key to the taker, and survives a bank edit', async () => {
		const { trainee } = await setup();
		const started = await startAttempt(trainee, 'first-written');
		const id = started.id;
		const view = await writtenAttemptForTaker(trainee, id);
		// The start answers with the attempt made of what it inserted: the same as reading it back.
		const { serverNow: _a, ...startedRest } = started;
		const { serverNow: _b, ...viewRest } = view;
		expect(startedRest).toEqual(viewRest);
		expect(view.state).toBe('in_progress');
		// Starting again (double click, second tab) returns the same attempt, read back.
		const again = await startAttempt(trainee, 'first-written');
		expect(again.id).toBe(id);
		expect(again.paper).toEqual(view.paper);
		for (const json of [JSON.stringify(started), JSON.stringify(view)])
			for (const field of KEY_FIELDS) expect(json).not.toContain(field);
		const first = view.paper.sections[0].items[0];
		// Someone edits the bank after the attempt started.
		const exam = findExam('first-written')!;
		const original = exam.items.find((i) => i.id === first.id)!;
		const before = original.stem;
		original.stem = '改过的题干';
		try {
			const again = await writtenAttemptForTaker(trainee, id);
			expect(again.paper.sections[0].items[0].stem).toBe(first.stem);
			expect(again.paper.sections[0].items[0].stem).not.toBe('改过的题干');
		} finally {
			original.stem = before;
		}
		expect(view.paper.sections.reduce((n, s) => n + s.items.length, 0)).toBe(
			exam.definition.sections.reduce((n, s) => n + s.draw, 0)
		);
	});

	it('keeps the highest-sequence answer whatever order saves arrive in (property)', async () => {
		const { trainee } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		const view = await attemptForTaker(trainee, id);
		const itemIds = view.paper.sections.flatMap((s) => s.items.map((i) => i.id)).slice(0, 3);
		let round = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({ item: fc.constantFrom(...itemIds), seq: fc.integer({ min: 1, max: 40 }) }),
					{ minLength: 1, maxLength: 25 }
				),
				async (saves) => {
					round++;
					const base = round * 100;
					await db.delete(responses).where(eq(responses.attemptId, id));
					// Duplicates and reordering: send everything, some twice, shuffled by fast-check.
					const sent = [...saves, ...saves.slice(0, 3)];
					await Promise.all(
						sent.map((s) => saveResponse(trainee, id, s.item, `v${base + s.seq}`, base + s.seq))
					);
					const stored = await db.select().from(responses).where(eq(responses.attemptId, id));
					for (const itemId of new Set(saves.map((s) => s.item))) {
						const highest =
							Math.max(...saves.filter((s) => s.item === itemId).map((s) => s.seq)) + base;
						const row = stored.find((r) => r.itemId === itemId)!;
						expect(row.seq).toBe(highest);
						expect(row.value).toBe(`v${highest}`);
					}
				}
			),
			{ numRuns: 25 }
		);
		expect(await saveResponse(trainee, id, itemIds[0], 'newest', 50_000)).toMatchObject({
			status: 'saved',
			seq: 50_000
		});
		expect(await saveResponse(trainee, id, itemIds[0], 'older', 1)).toEqual({
			status: 'stale',
			seq: 50_000
		});
		expect(await saveResponse(trainee, id, 'not-an-item', 'x', 10_000)).toEqual({
			status: 'invalid'
		});
		const other = await makeActor(['trainee']);
		expect(await saveResponse(other, id, itemIds[0], 'x', 10_000)).toEqual({ status: 'invalid' });
	});

	it('saves within the session check only for a live session of the trainee who owns the open attempt', async () => {
		const { trainee } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		const view = await attemptForTaker(trainee, id);
		const [item, second] = view.paper.sections.flatMap((s) => s.items.map((i) => i.id));
		const sessionOf = async (userId: string) =>
			(await createSession(generateSessionToken(), userId)).id;
		const stored = async (itemId: string) =>
			(
				await db
					.select({ seq: responses.seq, value: responses.value })
					.from(responses)
					.where(and(eq(responses.attemptId, id), eq(responses.itemId, itemId)))
			)[0] ?? null;
		const mine = await sessionOf(trainee.id);

		expect(await saveResponseInSession(mine, id, item, 'A', 5)).toMatchObject({
			status: 'saved',
			seq: 5
		});
		expect(await stored(item)).toEqual({ seq: 5, value: 'A' });
		// Each of these writes nothing and leaves the ordinary path to say why.
		const stranger = await makeActor(['trainee']);
		const due = await sessionOf(trainee.id);
		await db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() + config.session.idleMs / 2 - 60_000) })
			.where(eq(sessions.id, due));
		const expired = await sessionOf(trainee.id);
		await db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, expired));
		const refused: [string, string, unknown, number][] = [
			[mine, item, 'older', 4], // stale
			[mine, 'not-an-item', 'x', 6],
			[mine, item, 'x', 0], // not a sequence number
			[mine, item, 'x'.repeat(20_000), 7], // too large
			[sessionIdFromToken(generateSessionToken()), item, 'x', 8], // no such session
			[await sessionOf(stranger.id), item, 'x', 9], // someone else's attempt
			[due, item, 'x', 10], // due for renewal: the ordinary path renews the cookie
			[expired, item, 'x', 11]
		];
		for (const [session, itemId, value, seq] of refused)
			expect(await saveResponseInSession(session, id, itemId, value, seq), `${seq}`).toBeNull();
		expect(await stored(item)).toEqual({ seq: 5, value: 'A' });

		// A one-time password to change, an account switched off, the trainee role taken away.
		await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, trainee.id));
		expect(await saveResponseInSession(mine, id, second, 'x', 1)).toBeNull();
		await db
			.update(users)
			.set({ mustChangePassword: false, active: false })
			.where(eq(users.id, trainee.id));
		expect(await saveResponseInSession(mine, id, second, 'x', 1)).toBeNull();
		await db.update(users).set({ active: true }).where(eq(users.id, trainee.id));
		await db.delete(userRoles).where(eq(userRoles.userId, trainee.id));
		expect(await saveResponseInSession(mine, id, second, 'x', 1)).toBeNull();
		await db.insert(userRoles).values({ userId: trainee.id, role: 'trainee' });
		expect(await saveResponseInSession(mine, id, second, 'B', 1)).toMatchObject({
			status: 'saved'
		});
		// A submitted attempt takes nothing more.
		await submitAttempt(id, 'trainee');
		expect(await saveResponseInSession(mine, id, second, 'late', 2)).toBeNull();
		expect(await stored(second)).toEqual({ seq: 1, value: 'B' });
	});

	it('checks each of the autosaves that arrive together, written in one statement', async () => {
		const { cohort, trainee } = await setup();
		const neighbour = await readyTrainee(cohort.id);
		const id = (await startAttempt(trainee, 'first-written')).id;
		const theirs = (await startAttempt(neighbour, 'first-written')).id;
		const items = (await attemptForTaker(trainee, id)).paper.sections.flatMap((s) =>
			s.items.map((i) => i.id)
		);
		const theirItem = (await attemptForTaker(neighbour, theirs)).paper.sections[0].items[0].id;
		const sessionOf = async (userId: string) =>
			(await createSession(generateSessionToken(), userId)).id;
		const mine = await sessionOf(trainee.id);
		const neighbours = await sessionOf(neighbour.id);
		const expired = await sessionOf(trainee.id);
		await db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, expired));

		// All at once: two go straight to the database, the rest wait and go together.
		const saves: [string, string, string, unknown, number][] = [
			[mine, id, items[0], 'v1', 1],
			[mine, id, items[0], 'v2', 2], // the same answer again: after the first, in order
			[mine, id.toUpperCase(), items[1], 'upper', 2],
			[mine, id, items[1], 'lower', 1], // the same row, older: not written
			[neighbours, id, items[2], 'x', 1], // someone else's session on my attempt
			[expired, id, items[3], 'x', 1],
			[mine, id, items[4], 'nul \u0000 inside', 1], // cannot be stored
			[mine, id, 'not-an-item', 'x', 1],
			[neighbours, theirs, theirItem, 'theirs', 1],
			[mine, id, items[0], 'v3', 3],
			...items
				.slice(5)
				.map((item, k): [string, string, string, unknown, number] => [mine, id, item, { k }, 1])
		];
		const results = await Promise.all(
			saves.map(([session, attemptId, itemId, value, seq]) =>
				saveResponseInSession(session, attemptId, itemId, value, seq)
			)
		);
		expect(results.map((r) => (r?.status === 'saved' ? r.seq : null))).toEqual(
			saves.map(([, , , , seq], i) => ([3, 4, 5, 6, 7].includes(i) ? null : seq))
		);
		const stored = await db
			.select({ attemptId: responses.attemptId, itemId: responses.itemId, value: responses.value })
			.from(responses)
			.where(inArray(responses.attemptId, [id, theirs]));
		expect(new Map(stored.map((r) => [`${r.attemptId} ${r.itemId}`, r.value]))).toEqual(
			new Map([
				[`${id} ${items[0]}`, 'v3'],
				[`${id} ${items[1]}`, 'upper'],
				[`${theirs} ${theirItem}`, 'theirs'],
				...items.slice(5).map((item, k): [string, unknown] => [`${id} ${item}`, { k }])
			])
		);
	});

	it('leaves every save of a failed batch to the ordinary path', async () => {
		const { trainee } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		const items = (await attemptForTaker(trainee, id)).paper.sections.flatMap((s) =>
			s.items.map((i) => i.id)
		);
		const mine = (await createSession(generateSessionToken(), trainee.id)).id;
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			// The first two go alone; the other three together, with one the database refuses.
			const results = await Promise.all([
				saveResponseInSession(mine, id, items[0], 'a', 1),
				saveResponseInSession(mine, id, items[1], 'b', 1),
				saveResponseInSession(mine, id, items[2], 'c', 1),
				saveResponseInSession(mine, 'not-a-uuid', items[3], 'd', 1),
				saveResponseInSession(mine, id, items[4], 'e', 1)
			]);
			expect(results.map((r) => r?.status ?? null)).toEqual(['saved', 'saved', null, null, null]);
			expect(warn).toHaveBeenCalledTimes(1);
		} finally {
			warn.mockRestore();
		}
		expect(await saveResponse(trainee, id, items[2], 'c', 1)).toMatchObject({ status: 'saved' });
		const stored = await db
			.select({ itemId: responses.itemId })
			.from(responses)
			.where(eq(responses.attemptId, id));
		expect(stored.map((r) => r.itemId).sort()).toEqual([items[0], items[1], items[2]].sort());
	});

	it('gives exactly one submission under 20 concurrent submits', async () => {
		const { trainee } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		// Twenty at once: double clicks, two tabs and the timer together.
		const results = await Promise.all(
			Array.from({ length: 20 }, () => submitAttempt(id, 'trainee'))
		);
		expect(results.filter(Boolean)).toHaveLength(1);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(row.state).not.toBe('in_progress');
		expect(row.submitReason).toBe('trainee');
		// …and from the trainee's side, repeated submits are harmless.
		await Promise.all(Array.from({ length: 5 }, () => submitMine(trainee, id)));
		const [again] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(again.submittedAt).toEqual(row.submittedAt);
		// After submission nothing more is accepted.
		const item = row.itemIds[0];
		expect(await saveResponse(trainee, id, item, 'late', 999)).toEqual({ status: 'closed' });
	});

	it("submits the trainee's own attempt once, refuses strangers, and counts a late one as the clock's", async () => {
		const { trainee } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		const stranger = await makeActor(['trainee']);
		await expect(submitMine(stranger, id)).rejects.toMatchObject({ code: 'error_not_found' });
		expect((await db.select().from(attempts).where(eq(attempts.id, id)))[0].state).toBe(
			'in_progress'
		);
		// Late by more than the grace period (the sweep has not run yet): the clock submitted it.
		await db
			.update(attempts)
			.set({ deadlineAt: new Date(Date.now() - GRACE_MS - 1_000) })
			.where(eq(attempts.id, id));
		const single = Object.entries((await fullKey(row.key)).items).find(
			([, e]) => e.item.type === 'single'
		)!;
		await db.insert(responses).values({
			attemptId: id,
			itemId: single[0],
			value: (single[1].item as { correct: string }).correct,
			seq: 1
		});
		expect(await submitMine(trainee, id)).toBe(true);
		expect(await submitMine(trainee, id)).toBe(false);
		const [after] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(after.submitReason).toBe('deadline');
		// The automatic marking is stored with the submission: the saved answer scored in full.
		expect(after.itemScores?.[single[0]]).toMatchObject({ points: single[1].points });
		expect(after.score).toBe(single[1].points);
	});

	it('uses the server clock: grace absorbs late saves, then the attempt is submitted with what was saved', async () => {
		const { trainee } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		const item = row.itemIds[0];
		await saveResponse(trainee, id, item, 'in time', 1);
		// The deadline passed 5 seconds ago (whatever the trainee's own clock says): still in grace.
		await db
			.update(attempts)
			.set({ deadlineAt: new Date(Date.now() - 5_000) })
			.where(eq(attempts.id, id));
		expect(await saveResponse(trainee, id, item, 'in grace', 2)).toMatchObject({ status: 'saved' });
		// Past the grace period: refused, and the sweep submits the attempt.
		await db
			.update(attempts)
			.set({ deadlineAt: new Date(Date.now() - GRACE_MS - 1_000) })
			.where(eq(attempts.id, id));
		expect(await saveResponse(trainee, id, item, 'too late', 3)).toEqual({ status: 'closed' });
		expect(await submitOverdueAttempts()).toBeGreaterThanOrEqual(1);
		const [after] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(after.submitReason).toBe('deadline');
		const [saved] = await db.select().from(responses).where(eq(responses.attemptId, id));
		expect(saved.value).toBe('in grace');
	});

	it('grades short answers, releases, records the dossier, and reviews only after release', async () => {
		const { trainee, examiner, teacher } = await setup();
		const id = (await startAttempt(trainee, 'first-written')).id;
		const [row] = await db.select().from(attempts).where(eq(attempts.id, id));
		const shorts = Object.entries((await fullKey(row.key)).items).filter(
			([, e]) => e.item.type === 'short'
		);
		for (const [itemId] of shorts)
			await saveResponse(trainee, id, itemId, '先安抚情绪，再核实身份，然后说明处理时限。', 1);
		await submitMine(trainee, id);
		await expect(reviewAttempt(trainee, id)).rejects.toMatchObject({ code: 'exam_not_released' });

		// A stranger examiner sees nothing of it.
		const stranger = await makeActor(['examiner']);
		expect((await gradingQueue(stranger)).some((q) => q.attemptId === id)).toBe(false);
		await expect(attemptForGrading(stranger, id)).rejects.toMatchObject({
			code: 'error_not_found'
		});

		const queue = await gradingQueue(examiner);
		expect(queue.find((q) => q.attemptId === id)?.pendingItems).toBe(shorts.length);
		const forGrading = await attemptForGrading(examiner, id);
		expect(forGrading.items).toHaveLength(shorts.length);
		const over = forGrading.items[0].markingPoints[0];
		await expect(
			gradeShortItem(examiner, id, forGrading.items[0].id, { [over.id]: over.points + 1 }, '', null)
		).rejects.toMatchObject({ code: 'grading_points_range' });
		let last = { complete: false };
		for (const item of forGrading.items)
			last = await gradeShortItem(
				examiner,
				id,
				item.id,
				Object.fromEntries(item.markingPoints.map((p) => [p.id, p.points])),
				'要点齐全',
				null
			);
		expect(last.complete).toBe(true);
		const exam = findExam('first-written')!;
		const [graded] = await db.select().from(attempts).where(eq(attempts.id, id));
		expect(graded.state).toBe(exam.definition.release === 'immediate' ? 'released' : 'graded');
		if (graded.state === 'graded')
			expect(await releaseResults(teacher, 'first-written', null)).toBe(1);

		const review = await reviewAttempt(trainee, id);
		expect(review.percent).not.toBeNull();
		const events = await db
			.select()
			.from(dossierEvents)
			.where(eq(dossierEvents.userId, trainee.id));
		expect(events.some((e) => e.kind === 'assessment' && e.refId === id)).toBe(true);

		const analysis = analyseItems(await gradedAttemptsOf(teacher, 'first-written'));
		expect(analysis.papers).toBeGreaterThanOrEqual(1);
		expect(analysis.items.length).toBeGreaterThan(0);
		expect(analysis.histogram.reduce((a, b) => a + b, 0)).toBe(analysis.papers);
	});
});

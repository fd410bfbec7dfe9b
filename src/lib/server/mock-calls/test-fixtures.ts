// Test helpers for mock calls: a cohort (homeroom teacher who also examines, a listed
// examiner, an examiner of no cohort) with two trainees at a stage whose courses are done,
// and the recording fixtures (a 3 s tone as WebM and as Ogg).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cohortExaminers, cohorts, enrollments } from '../cohorts/schema';
import { getProgram, listCourses } from '../content/index';
import { db } from '../db/client';
import { completeLesson } from '../learning/progress';
import { makeActor } from '../testing/fixtures';

export const recordingFixture = (name: 'tone-3s.webm' | 'tone-3s.ogg') =>
	new Uint8Array(readFileSync(join(__dirname, '../recordings/fixtures', name)));

/** The rule code a call was refused with ('ok' when it went through). */
export const code = async (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e as { code?: string }).code ?? String(e)
	);

/** stageIndex 1: comprehensive assessment (mock call); 2: go-live (mock go-live shift). */
export async function setupMockCohort(stageIndex = 1) {
	const teacher = await makeActor(['teacher', 'examiner']);
	const examiner = await makeActor(['examiner']);
	const outsider = await makeActor(['examiner']);
	const [c] = await db
		.insert(cohorts)
		.values({
			name: '模拟班',
			programSlug: 'onboarding',
			startsOn: '2026-01-01',
			endsOn: '2099-12-31',
			teacherId: teacher.id
		})
		.returning();
	await db.insert(cohortExaminers).values({ cohortId: c.id, userId: examiner.id });
	const trainee = await makeActor(['trainee']);
	const other = await makeActor(['trainee']);
	for (const t of [trainee, other]) {
		await db.insert(enrollments).values({
			cohortId: c.id,
			userId: t.id,
			programSlug: 'onboarding',
			stageIndex,
			stageStatus: 'in_training'
		});
		for (const stage of getProgram().stages.slice(0, stageIndex + 1))
			for (const slug of stage.courses)
				for (const l of listCourses().find((x) => x.slug === slug)!.lessons)
					await completeLesson(t, l);
	}
	return { teacher, examiner, outsider, trainee, other };
}

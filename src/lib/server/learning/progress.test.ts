import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../content/catalog';
import { makeActor } from '../testing/fixtures';
import {
	addStudyTime,
	completeLesson,
	MAX_HEARTBEAT_SECONDS,
	myProgress,
	openLesson,
	orphanedProgress,
	progressOf,
	resumeTarget,
	summariseCourses,
	summariseStages
} from './progress';

const fm = (extra: string) =>
	`---\ntitle: 课\ntitleEn: L\nsummary: s\nsummaryEn: s\nestimatedMinutes: 10\nskills: []\n${extra}---\n`;
const lesson = '---\ntitle: 课时\ntitleEn: Lesson\nestimatedMinutes: 10\nskills: []\n---\n正文\n';
function catalog(lessonsOfB = ['01-one', '02-two']) {
	const files: Record<string, string> = {
		'/content/courses/01-a/index.md': fm('order: 1\nprerequisites: []\n'),
		'/content/courses/01-a/01-intro.md': lesson,
		'/content/courses/02-b/index.md': fm('order: 2\nprerequisites: [a]\n')
	};
	for (const l of lessonsOfB) files[`/content/courses/02-b/${l}.md`] = lesson;
	return buildCatalog(files);
}

describe('learning progress', () => {
	it('records opening, time and completion per lesson, only for the trainee themself', async () => {
		const me = await makeActor(['trainee']);
		const other = await makeActor(['trainee']);
		const { courses } = catalog();
		const intro = courses[0].lessons[0];
		await openLesson(me, intro);
		await addStudyTime(me, intro, 45);
		await addStudyTime(me, intro, 10_000); // capped
		await completeLesson(me, intro);
		await completeLesson(me, intro); // idempotent
		const p = await myProgress(me);
		expect(p.get('a/intro')).toMatchObject({
			completed: true,
			secondsSpent: 45 + MAX_HEARTBEAT_SECONDS
		});
		expect((await myProgress(other)).size).toBe(0);
	});

	it('locks a course until its prerequisites are done and resumes at the right lesson', async () => {
		const me = await makeActor(['trainee']);
		const { courses } = catalog();
		let p = await myProgress(me);
		let s = summariseCourses(courses, p);
		expect(s.map((c) => c.lockedBy)).toEqual([[], ['a']]);
		expect(resumeTarget(courses, p, s)?.slug).toBe('intro');
		await completeLesson(me, courses[0].lessons[0]);
		await openLesson(me, courses[1].lessons[1]);
		p = await myProgress(me);
		s = summariseCourses(courses, p);
		expect(s[1].lockedBy).toEqual([]);
		expect(s[0]).toMatchObject({
			done: 1,
			total: 1,
			percent: 100,
			completed: true,
			minutesLeft: 0
		});
		expect(s[1]).toMatchObject({ done: 0, total: 2, minutesLeft: 20 });
		// The most recently opened unfinished lesson wins over the first unfinished one.
		expect(resumeTarget(courses, p, s)?.slug).toBe('two');
	});

	it('keeps progress when lessons are renamed or reordered, and reports removed ones', async () => {
		const me = await makeActor(['trainee']);
		const before = catalog(['01-one', '02-two']);
		await completeLesson(me, before.courses[0].lessons[0]);
		await completeLesson(me, before.courses[1].lessons[0]);
		await completeLesson(me, before.courses[1].lessons[1]);
		// Reordered and "one" removed, "three" added.
		const after = catalog(['01-two', '02-three']);
		const p = await myProgress(me);
		const s = summariseCourses(after.courses, p);
		expect(s[1]).toMatchObject({ done: 1, total: 2 });
		expect(orphanedProgress(after.courses, p)).toEqual(['b/one']);
	});

	it('opens a stage when its courses and earlier stages are done', () => {
		const { courses } = catalog();
		const program = {
			stages: [
				{ slug: 's1', courses: ['a'] },
				{ slug: 's2', courses: ['b'] },
				{ slug: 's3', courses: [] }
			]
		} as unknown as Parameters<typeof summariseStages>[0];
		const none = summariseStages(program, summariseCourses(courses, new Map()));
		expect(none.map((s) => s.ready)).toEqual([false, false, false]);
		const done = new Map([
			['a/intro', { opened: true, completed: true, secondsSpent: 0, lastOpenedAt: new Date() }]
		]);
		expect(summariseStages(program, summariseCourses(courses, done)).map((s) => s.ready)).toEqual([
			true,
			false,
			false
		]);
	});

	it('lets staff read several people at once but not trainees', async () => {
		const teacher = await makeActor(['teacher']);
		const a = await makeActor(['trainee']);
		const b = await makeActor(['trainee']);
		const { courses } = catalog();
		await completeLesson(a, courses[0].lessons[0]);
		const map = await progressOf(teacher, [a.id, b.id]);
		expect(map.get(a.id)?.get('a/intro')?.completed).toBe(true);
		expect(map.get(b.id)?.size).toBe(0);
		await expect(progressOf(a, [b.id])).rejects.toMatchObject({ status: 403 });
		await expect(completeLesson(teacher, courses[0].lessons[0])).rejects.toMatchObject({
			status: 403
		});
	});
});

// What the learning pages send to the browser: titles, progress and structure — never the
// lesson text (it renders from the compiled lesson) and nothing of other people.
import type { Course, Lesson, Program } from '../content/catalog';
import { getProgram, listCourses } from '../content/index';
import type { Actor } from '../people/roles';
import {
	lessonState,
	myProgress,
	orphanedProgress,
	resumeTarget,
	summariseCourses,
	summariseStages,
	type CourseSummary,
	type ProgressMap
} from './progress';

export type LessonCard = Pick<
	Lesson,
	'slug' | 'courseSlug' | 'title' | 'titleEn' | 'estimatedMinutes' | 'order'
> & {
	completed: boolean;
	opened: boolean;
};

export function lessonCard(l: Lesson, progress: ProgressMap): LessonCard {
	const s = lessonState(progress, l);
	return {
		slug: l.slug,
		courseSlug: l.courseSlug,
		title: l.title,
		titleEn: l.titleEn,
		estimatedMinutes: l.estimatedMinutes,
		order: l.order,
		completed: s.completed,
		opened: s.opened
	};
}

export function courseCard(c: Course) {
	return {
		slug: c.slug,
		title: c.title,
		titleEn: c.titleEn,
		summary: c.summary,
		summaryEn: c.summaryEn,
		estimatedMinutes: c.estimatedMinutes,
		skills: c.skills,
		order: c.order
	};
}

export function programOutline(p: Program) {
	return {
		title: p.title,
		titleEn: p.titleEn,
		summary: p.summary,
		summaryEn: p.summaryEn,
		stages: p.stages.map((s) => ({
			slug: s.slug,
			title: s.title,
			titleEn: s.titleEn,
			summary: s.summary,
			summaryEn: s.summaryEn,
			courses: s.courses,
			assessments: s.assessments,
			maxRetrains: s.maxRetrains
		}))
	};
}

export async function myLearningOverview(actor: Actor) {
	const program = getProgram();
	const courses = listCourses();
	const progress = await myProgress(actor);
	const summaries = summariseCourses(courses, progress);
	const resume = resumeTarget(courses, progress, summaries);
	const done = summaries.reduce((n, s) => n + s.done, 0);
	const total = summaries.reduce((n, s) => n + s.total, 0);
	return {
		program: programOutline(program),
		courses: courses.map(courseCard),
		summaries,
		stages: summariseStages(program, summaries),
		resume: resume && {
			courseSlug: resume.courseSlug,
			slug: resume.slug,
			title: resume.title,
			titleEn: resume.titleEn,
			started: lessonState(progress, resume).opened
		},
		totals: {
			done,
			total,
			percent: total ? Math.round((done / total) * 100) : 0,
			minutesLeft: summaries.reduce((n, s) => n + s.minutesLeft, 0),
			minutesSpent: Math.round(summaries.reduce((n, s) => n + s.secondsSpent, 0) / 60)
		},
		orphaned: orphanedProgress(courses, progress).length
	};
}

export type { CourseSummary };

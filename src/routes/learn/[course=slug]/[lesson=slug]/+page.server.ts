import { error } from '@sveltejs/kit';
import { requireLesson } from '$lib/server/content/index';
import {
	completeLesson,
	lessonState,
	myProgress,
	openLesson,
	summariseCourses
} from '$lib/server/learning/progress';
import { listCourses } from '$lib/server/content/index';
import type { Actions, PageServerLoad } from './$types';

function lessonLink(
	l: { courseSlug: string; slug: string; title: string; titleEn: string } | null
) {
	return l && { href: `/learn/${l.courseSlug}/${l.slug}`, title: l.title, titleEn: l.titleEn };
}

export const load = (async ({ locals, params }) => {
	const { course, lesson, prev, next } = requireLesson(params.course, params.lesson);
	const progress = await myProgress(locals.user!);
	const summary = summariseCourses(listCourses(), progress).find((s) => s.slug === course.slug)!;
	// A locked course is not hidden (the outline is public to trainees) but says what comes first.
	if (summary.lockedBy.length) error(403, 'locked');
	await openLesson(locals.user!, lesson);
	return {
		course: { slug: course.slug, title: course.title, titleEn: course.titleEn },
		lesson: {
			slug: lesson.slug,
			file: lesson.file,
			title: lesson.title,
			titleEn: lesson.titleEn,
			summaryEn: lesson.summaryEn,
			estimatedMinutes: lesson.estimatedMinutes,
			skills: lesson.skills,
			headings: lesson.headings
		},
		completed: lessonState(progress, lesson).completed,
		prev: lessonLink(prev),
		next: lessonLink(next)
	};
}) satisfies PageServerLoad;

export const actions = {
	complete: async ({ locals, params }) => {
		const { lesson } = requireLesson(params.course, params.lesson);
		await completeLesson(locals.user!, lesson);
		return { completed: true };
	}
} satisfies Actions;

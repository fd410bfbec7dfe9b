import { error } from '@sveltejs/kit';
import { findCourse, listCourses } from '$lib/server/content/index';
import { myProgress, summariseCourses } from '$lib/server/learning/progress';
import { courseCard, lessonCard } from '$lib/server/learning/views';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, 'not found');
	const progress = await myProgress(locals.user!);
	const courses = listCourses();
	const summary = summariseCourses(courses, progress).find((s) => s.slug === course.slug)!;
	return {
		course: { ...courseCard(course), file: course.file },
		lessons: course.lessons.map((l) => lessonCard(l, progress)),
		summary,
		lockedBy: summary.lockedBy.map((slug) => {
			const c = courses.find((x) => x.slug === slug)!;
			return { slug, title: c.title, titleEn: c.titleEn };
		})
	};
}) satisfies PageServerLoad;

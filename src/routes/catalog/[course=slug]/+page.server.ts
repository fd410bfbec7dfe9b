import { error } from '@sveltejs/kit';
import { findCourse } from '$lib/server/content/index';
import { courseCard } from '$lib/server/learning/views';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, 'not found');
	return {
		course: { ...courseCard(course), file: course.file },
		lessons: course.lessons.map((l) => ({
			slug: l.slug,
			title: l.title,
			titleEn: l.titleEn,
			estimatedMinutes: l.estimatedMinutes,
			order: l.order
		}))
	};
}) satisfies PageServerLoad;

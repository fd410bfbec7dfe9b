import { getProgram, listCourses } from '$lib/server/content/index';
import { courseCard, programOutline } from '$lib/server/learning/views';
import type { PageServerLoad } from './$types';

export const load = (() => ({
	program: programOutline(getProgram()),
	courses: listCourses().map((c) => ({
		...courseCard(c),
		lessons: c.lessons.map((l) => ({
			slug: l.slug,
			title: l.title,
			titleEn: l.titleEn,
			estimatedMinutes: l.estimatedMinutes
		}))
	}))
})) satisfies PageServerLoad;

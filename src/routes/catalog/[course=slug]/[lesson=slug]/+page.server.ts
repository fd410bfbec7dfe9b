import { requireLesson } from '$lib/server/content/index';
import type { PageServerLoad } from './$types';

const link = (l: { courseSlug: string; slug: string; title: string; titleEn: string } | null) =>
	l && { href: `/catalog/${l.courseSlug}/${l.slug}`, title: l.title, titleEn: l.titleEn };

export const load = (({ params }) => {
	const { course, lesson, prev, next } = requireLesson(params.course, params.lesson);
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
		prev: link(prev),
		next: link(next)
	};
}) satisfies PageServerLoad;

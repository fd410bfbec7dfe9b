// Rubrics (content/rubrics/<slug>.md): items grouped in sections, each scored on the 5 / 3 / 1
// levels with a descriptor per level, a weight, optional `critical` (scored 1 = the whole
// assessment fails) and the skills / lessons the item trains (for retrain plans). YAML
// frontmatter only, plus an optional body of notes for examiners. Pure: text in, data out.
// Shared by case analysis, mock calls and mock go-live.
import { z } from 'zod';
import { SKILLS } from '../../skills';
import { ContentError, parseFrontmatter } from '../content/frontmatter';

export const LEVELS = [5, 3, 1] as const;
export type Level = (typeof LEVELS)[number];

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');
const text = z.string().trim().min(1);

const itemSchema = z.strictObject({
	id,
	title: text,
	titleEn: text,
	weight: z.number().positive().max(100),
	critical: z.boolean().default(false),
	skills: z.array(z.enum(SKILLS)).min(1),
	/** `course-slug/lesson-slug`, checked against content/courses. */
	lessons: z
		.array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a lesson is course-slug/lesson-slug'))
		.default([]),
	levels: z.strictObject({ 5: text, 3: text, 1: text })
});

const sectionSchema = z.strictObject({
	id,
	title: text,
	titleEn: text,
	items: z.array(itemSchema).min(1)
});

export const rubricSchema = z.strictObject({
	title: text,
	titleEn: text,
	summary: text,
	summaryEn: text,
	sections: z.array(sectionSchema).min(1)
});

export type RubricItem = z.infer<typeof itemSchema>;
export type RubricSection = z.infer<typeof sectionSchema>;
export type Rubric = z.infer<typeof rubricSchema> & { slug: string; hash: string; notes: string };

/** Line of `id: <value>` in the file, for errors about one item. */
function lineOfId(source: string, value: string): number {
	// The last occurrence: for a duplicate, that is the one to fix.
	const i = source
		.split('\n')
		.findLastIndex((l) => new RegExp(`^\\s*-?\\s*id:\\s*${value}\\s*$`).test(l));
	return i < 0 ? 1 : i + 1;
}

/** Parses and validates a rubric; throws ContentError (path:line: reason). `lessonExists` checks
 *  the lesson references when given. */
export function parseRubric(
	source: string,
	path: string,
	slug: string,
	hash: string,
	lessonExists?: (ref: string) => boolean
): Rubric {
	const { data, body } = parseFrontmatter(source, path, rubricSchema);
	const seen = new Set<string>();
	for (const section of data.sections) {
		if (seen.has(section.id))
			throw new ContentError(
				path,
				lineOfId(source, section.id),
				`id "${section.id}" is used twice`
			);
		seen.add(section.id);
		for (const item of section.items) {
			if (seen.has(item.id))
				throw new ContentError(path, lineOfId(source, item.id), `id "${item.id}" is used twice`);
			seen.add(item.id);
			for (const ref of item.lessons)
				if (lessonExists && !lessonExists(ref))
					throw new ContentError(
						path,
						lineOfId(source, item.id),
						`item "${item.id}": lesson "${ref}" does not exist`
					);
		}
	}
	return { ...data, slug, hash, notes: body.trim() };
}

export function rubricItems(rubric: Pick<Rubric, 'sections'>): RubricItem[] {
	return rubric.sections.flatMap((s) => s.items);
}

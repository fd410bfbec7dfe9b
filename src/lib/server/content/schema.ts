// Frontmatter schemas for authored content. A file that does not match fails the build and
// the server start with its path, line and reason.
import { z } from 'zod';
import { SKILLS } from '../../skills';

export const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');
const text = z.string().trim().min(1);
const skills = z.array(z.enum(SKILLS)).default([]);

export const ASSESSMENT_KINDS = ['written', 'case_analysis', 'mock_call', 'mock_golive'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export const stageSchema = z.strictObject({
	slug,
	title: text,
	titleEn: text,
	summary: text,
	summaryEn: text,
	courses: z.array(slug).default([]),
	assessments: z
		.array(z.strictObject({ exam: slug, kind: z.enum(ASSESSMENT_KINDS), required: z.boolean().default(true) }))
		.min(1, 'a stage is closed by at least one assessment'),
	passRule: z.enum(['all-required-passed']),
	maxRetrains: z.number().int().min(0).max(10),
	recurring: z.boolean().default(false)
});

export const programSchema = z.strictObject({
	slug,
	code: z.string().regex(/^[A-Z]{2,8}$/, 'an upper-case code of 2–8 letters (used in certificate numbers)'),
	title: text,
	titleEn: text,
	summary: text,
	summaryEn: text,
	certificateValidityMonths: z.number().int().positive().optional(),
	requiresProfile: z.boolean().default(true),
	stages: z.array(stageSchema).min(1)
});

export const courseSchema = z.strictObject({
	title: text,
	titleEn: text,
	summary: text,
	summaryEn: text,
	order: z.number().int().positive(),
	estimatedMinutes: z.number().int().positive(),
	skills,
	prerequisites: z.array(slug).default([])
});

export const lessonSchema = z.strictObject({
	title: text,
	titleEn: text,
	summaryEn: text.optional(),
	estimatedMinutes: z.number().int().positive(),
	skills
});

export type ProgramFrontmatter = z.infer<typeof programSchema>;
export type StageDefinition = z.infer<typeof stageSchema>;
export type CourseFrontmatter = z.infer<typeof courseSchema>;
export type LessonFrontmatter = z.infer<typeof lessonSchema>;

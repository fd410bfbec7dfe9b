import { z } from 'zod';
import { SKILLS } from '../../skills';

/** Course slugs: the module an item belongs to is the first of these among its tags. */
export const COURSE_SLUGS = [
	'service-concepts',
	'product-knowledge',
	'customer-service-knowledge',
	'phone-etiquette',
	'answering-skills',
	'outbound-and-retention',
	'emotion-and-stress'
] as const;
export type CourseSlug = (typeof COURSE_SLUGS)[number];

/** Skill ids (content/README.md), owned by src/lib/skills.ts. */
export const SKILL_IDS = SKILLS;

export const ITEM_TYPES = [
	'single',
	'multiple',
	'truefalse',
	'fill',
	'matching',
	'ordering',
	'short'
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const EXAM_STAGES = ['first-assessment', 'comprehensive-assessment'] as const;
export type ExamStage = (typeof EXAM_STAGES)[number];

export const courseSlugSet: ReadonlySet<string> = new Set(COURSE_SLUGS);

/** A tag: a course slug, a skill id or a free label such as `integrated` or `figures`. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const tagSchema = z.string().regex(TAG_PATTERN, 'a tag is lower-case letters, digits and dashes');

const difficultySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Difficulty = z.infer<typeof difficultySchema>;

export const examSectionSchema = z.strictObject({
	title: z.string().min(1),
	titleEn: z.string().min(1).optional(),
	/** How many items to draw for this section. */
	draw: z.int().positive(),
	/** An item must carry every one of these tags. */
	tags: z.array(tagSchema).min(1).optional(),
	/** An item must have one of these difficulties. */
	difficulty: z.array(difficultySchema).min(1).optional(),
	/** An item must be one of these types. */
	types: z.array(z.enum(ITEM_TYPES)).min(1).optional(),
	/** Points for each item drawn in this section. */
	points: z.number().positive()
});
export type ExamSection = z.infer<typeof examSectionSchema>;

export const examReviewSchema = z.strictObject({
	showScore: z.boolean(),
	showCorrect: z.boolean(),
	showExplanation: z.boolean()
});

export const examFrontmatterSchema = z.strictObject({
	title: z.string().min(1),
	titleEn: z.string().min(1),
	kind: z.literal('written'),
	stage: z.enum(EXAM_STAGES),
	timeLimitMinutes: z.int().positive().max(600),
	/** Percentage of the total points needed to pass. */
	passMark: z.number().min(0).max(100),
	attemptsAllowed: z.int().positive().default(1),
	shuffleItems: z.boolean().default(true),
	shuffleOptions: z.boolean().default(true),
	release: z.enum(['immediate', 'manual']).default('immediate'),
	review: examReviewSchema.default({ showScore: true, showCorrect: true, showExplanation: true }),
	multipleChoiceScoring: z.enum(['partial', 'all-or-nothing']).default('partial'),
	sections: z.array(examSectionSchema).min(1)
});
export type ExamFrontmatter = z.infer<typeof examFrontmatterSchema>;
export type MultipleChoiceScoring = ExamFrontmatter['multipleChoiceScoring'];

/** The parsed frontmatter plus what the file name tells: `exams/<slug>.md`. */
export interface ExamDefinition extends ExamFrontmatter {
	slug: string;
	/** Total points of one drawn paper: Σ draw × points over the sections. */
	totalPoints: number;
}

// The case-analysis assessment (content/exams/<slug>.md with `kind: case_analysis`): which cases
// to draw, time limit, pass mark, the rubric, double marking. Frontmatter only; the body is the
// instruction shown to the trainee before starting. Pure.
import { z } from 'zod';
import { parseFrontmatter } from '../content/frontmatter';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');

export const caseExamSchema = z
	.strictObject({
		title: z.string().trim().min(1),
		titleEn: z.string().trim().min(1),
		/** The body's instructions in English (markdown), for readers of the English interface. */
		instructionsEn: z.string().trim().min(1).optional(),
		kind: z.literal('case_analysis'),
		stage: slug,
		timeLimitMinutes: z.int().positive().max(600),
		passMark: z.number().min(0).max(100),
		attemptsAllowed: z.int().positive().default(1),
		release: z.enum(['immediate', 'manual']).default('manual'),
		rubric: slug,
		draw: z.int().positive().max(10),
		pool: z.array(slug).min(1),
		rewriteLines: z.int().min(0).max(5).default(2),
		toleranceSeconds: z.number().min(0).max(30).default(3),
		/** Shares of the final percent; they must add up to 100. */
		weights: z.strictObject({
			classification: z.number().min(0),
			annotations: z.number().min(0),
			rubric: z.number().min(0)
		}),
		doubleMarking: z.boolean().default(true),
		moderationThreshold: z.number().min(0).max(100).default(15)
	})
	.superRefine((d, ctx) => {
		if (d.draw > d.pool.length)
			ctx.addIssue({
				code: 'custom',
				path: ['draw'],
				message: `draw ${d.draw} is more than the ${d.pool.length} cases in the pool`
			});
		if (new Set(d.pool).size !== d.pool.length)
			ctx.addIssue({ code: 'custom', path: ['pool'], message: 'a case is listed twice' });
		const sum = d.weights.classification + d.weights.annotations + d.weights.rubric;
		if (Math.abs(sum - 100) > 1e-9)
			ctx.addIssue({
				code: 'custom',
				path: ['weights'],
				message: `weights add up to ${sum}, not 100`
			});
	});

export type CaseExamDefinition = z.infer<typeof caseExamSchema>;
export type CaseExam = {
	slug: string;
	file: string;
	hash: string;
	definition: CaseExamDefinition;
	instructions: string;
};

/** `kind:` of an exam file, read without parsing the whole file (dispatch before parsing). */
export function examKindOf(source: string): string | null {
	const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
	const m = front && /^kind:\s*['"]?([a-z_]+)['"]?\s*(#.*)?$/m.exec(front[1]);
	return m ? m[1] : null;
}

export function parseCaseExam(
	source: string,
	path: string,
	slugName: string,
	hash: string
): CaseExam {
	const { data, body } = parseFrontmatter(source, path, caseExamSchema);
	return { slug: slugName, file: path, hash, definition: data, instructions: body.trim() };
}

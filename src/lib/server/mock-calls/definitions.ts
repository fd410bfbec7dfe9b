// Mock-call (kind: mock_call) and mock go-live (kind: mock_golive) assessment definitions:
// content/exams/<slug>.md, frontmatter only plus the instructions in the body. Pure.
import { z } from 'zod';
import { parseFrontmatter } from '../content/frontmatter';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');
export const MOCK_MODES = ['self-paced', 'examiner-led'] as const;
export type MockMode = (typeof MOCK_MODES)[number];

const common = {
	title: z.string().trim().min(1),
	titleEn: z.string().trim().min(1),
	/** The body's instructions in English (markdown), for readers of the English interface. */
	instructionsEn: z.string().trim().min(1).optional(),
	stage: slug,
	attemptsAllowed: z.int().positive().default(1),
	release: z.enum(['immediate', 'manual']).default('manual'),
	rubric: slug,
	passMark: z.number().min(0).max(100),
	pool: z.array(slug).min(1),
	doubleMarking: z.boolean().default(false),
	moderationThreshold: z.number().min(0).max(100).default(15),
	maxRecordingMinutes: z.int().positive().max(120).default(20)
};

const noDuplicates = (pool: string[], ctx: z.RefinementCtx) => {
	if (new Set(pool).size !== pool.length)
		ctx.addIssue({ code: 'custom', path: ['pool'], message: 'a scenario is listed twice' });
};

export const mockCallSchema = z
	.strictObject({
		...common,
		kind: z.literal('mock_call'),
		modes: z.array(z.enum(MOCK_MODES)).min(1),
		draw: z.int().positive().max(5).default(1)
	})
	.superRefine((d, ctx) => {
		noDuplicates(d.pool, ctx);
		if (d.draw > d.pool.length)
			ctx.addIssue({
				code: 'custom',
				path: ['draw'],
				message: `draw ${d.draw} is more than the ${d.pool.length} scenarios in the pool`
			});
	});

export const mockGoliveSchema = z
	.strictObject({
		...common,
		kind: z.literal('mock_golive'),
		calls: z.int().min(1).max(20),
		ringSeconds: z.number().min(1).max(10).default(3),
		maxRings: z.int().min(1).max(10).default(3),
		breakMinutes: z.int().min(0).max(60).default(5),
		shiftMinutes: z.int().min(5).max(600),
		weights: z.strictObject({ rubric: z.number().min(0), measures: z.number().min(0) })
	})
	.superRefine((d, ctx) => {
		noDuplicates(d.pool, ctx);
		if (d.calls > d.pool.length)
			ctx.addIssue({
				code: 'custom',
				path: ['calls'],
				message: `calls ${d.calls} is more than the ${d.pool.length} scenarios in the pool`
			});
		const sum = d.weights.rubric + d.weights.measures;
		if (Math.abs(sum - 100) > 1e-9)
			ctx.addIssue({
				code: 'custom',
				path: ['weights'],
				message: `weights add up to ${sum}, not 100`
			});
	});

export type MockCallDefinition = z.infer<typeof mockCallSchema>;
export type MockGoliveDefinition = z.infer<typeof mockGoliveSchema>;
export type MockExam =
	| {
			kind: 'mock_call';
			slug: string;
			file: string;
			hash: string;
			definition: MockCallDefinition;
			instructions: string;
	  }
	| {
			kind: 'mock_golive';
			slug: string;
			file: string;
			hash: string;
			definition: MockGoliveDefinition;
			instructions: string;
	  };

export const isMockKind = (kind: string | null): kind is 'mock_call' | 'mock_golive' =>
	kind === 'mock_call' || kind === 'mock_golive';

export function parseMockExam(
	source: string,
	path: string,
	slugName: string,
	hash: string,
	kind: 'mock_call' | 'mock_golive'
): MockExam {
	if (kind === 'mock_call') {
		const { data, body } = parseFrontmatter(source, path, mockCallSchema);
		return { kind, slug: slugName, file: path, hash, definition: data, instructions: body.trim() };
	}
	const { data, body } = parseFrontmatter(source, path, mockGoliveSchema);
	return { kind, slug: slugName, file: path, hash, definition: data, instructions: body.trim() };
}

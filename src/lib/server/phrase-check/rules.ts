/**
 * Phrase rules: loaded from `content/checker/phrase-rules.md` (YAML frontmatter; the body
 * documents them) and validated with zod. Pure: takes the file's text, returns compiled rules.
 * The format is documented in content/README.md ("Phrase checker rules").
 */
import { z } from 'zod';
import { ContentError, parseFrontmatter } from '../content/frontmatter';

import { CALL_TYPES, type CallType } from '../../call-taxonomy';

export { CALL_TYPES, type CallType };

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Where a forbidden match must sit in its clause:
 * - `anywhere`;
 * - `clause-end`: followed by clause punctuation (，。！？；、…— and ASCII) or the end of the turn;
 * - `particle-end`: clause-end, and the clause has words before the match (so a sentence-initial
 *   interjection such as 「哦，明白了」 is not a sentence-final particle).
 */
export const POSITIONS = ['anywhere', 'clause-end', 'particle-end'] as const;
export type Position = (typeof POSITIONS)[number];

const regexSource = z
	.string()
	.min(1)
	.refine(
		(s) => {
			try {
				new RegExp(s, 'u');
				return true;
			} catch {
				return false;
			}
		},
		{ message: 'not a valid regular expression' }
	);

const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

const base = {
	id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'ids are kebab-case'),
	title: bilingual,
	severity: z.enum(SEVERITIES),
	/** Call types the rule applies to; omitted = all. */
	appliesTo: z.array(z.enum(CALL_TYPES)).min(1).optional(),
	/** What the expression (or the missing action) does to the customer. */
	explanation: bilingual
};

const forbiddenSchema = z.strictObject({
	...base,
	kind: z.literal('forbidden'),
	patterns: z.array(regexSource).min(1),
	/** A match lying inside a match of one of these (in the same turn) is not a hit. */
	exceptions: z.array(regexSource).default([]),
	position: z.enum(POSITIONS).default('anywhere'),
	/** The hit is dropped when its sentence matches one of these … */
	exemptWhenSentence: z.array(regexSource).default([]),
	/** … unless the sentence also matches one of these. */
	butNotWhenSentence: z.array(regexSource).default([])
});

const groupSchema = z.strictObject({
	label: bilingual,
	anyOf: z.array(regexSource).min(1)
});

const scopeSchema = z.strictObject({
	/** Which agent turns are searched: the first or last `count`, or all of them. */
	agentTurns: z.enum(['first', 'last', 'all']),
	count: z.number().int().positive().optional()
});

const requiredSchema = z.strictObject({
	...base,
	kind: z.literal('required-action'),
	/** Phrase evidence: every group must be found in the scope… */
	scope: scopeSchema.optional(),
	require: z.array(groupSchema).min(1).optional(),
	/** …in this order (each group in a later turn, or later in the same turn). */
	ordered: z.boolean().default(false),
	/** Or an event instead of phrases. */
	event: z.enum(['customer-hangs-up-first']).optional()
});

const ruleSchema = z
	.discriminatedUnion('kind', [forbiddenSchema, requiredSchema])
	.superRefine((rule, ctx) => {
		if (rule.kind !== 'required-action') return;
		const phrases = rule.require !== undefined;
		if (phrases === (rule.event !== undefined)) {
			ctx.addIssue({ code: 'custom', message: 'give either `require` (with `scope`) or `event`' });
		} else if (phrases && !rule.scope) {
			ctx.addIssue({ code: 'custom', message: '`require` needs a `scope`', path: ['scope'] });
		}
	});

export const phraseRulesSchema = z
	.strictObject({
		version: z.literal(1),
		/** Quote pairs (open + close character): text inside them is someone else's words. */
		quotes: z.array(z.string().length(2)).default([]),
		rules: z.array(ruleSchema).min(1)
	})
	.superRefine((doc, ctx) => {
		const seen = new Set<string>();
		doc.rules.forEach((r, i) => {
			if (seen.has(r.id)) {
				ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}`, path: ['rules', i] });
			}
			seen.add(r.id);
		});
	});

export type PhraseRulesSource = z.infer<typeof phraseRulesSchema>;
type ForbiddenSource = z.infer<typeof forbiddenSchema>;
type RequiredSource = z.infer<typeof requiredSchema>;

interface CompiledBase {
	id: string;
	title: { zh: string; en: string };
	severity: Severity;
	appliesTo: CallType[] | null;
	explanation: { zh: string; en: string };
}

export interface ForbiddenRule extends CompiledBase {
	kind: 'forbidden';
	patterns: RegExp[];
	exceptions: RegExp[];
	position: Position;
	exemptWhenSentence: RegExp[];
	butNotWhenSentence: RegExp[];
}

export interface RequirementGroup {
	label: { zh: string; en: string };
	anyOf: RegExp[];
}

export interface RequiredActionRule extends CompiledBase {
	kind: 'required-action';
	scope: { agentTurns: 'first' | 'last' | 'all'; count: number } | null;
	require: RequirementGroup[];
	ordered: boolean;
	event: 'customer-hangs-up-first' | null;
}

export type PhraseRule = ForbiddenRule | RequiredActionRule;

export interface PhraseRules {
	quotes: [open: string, close: string][];
	rules: PhraseRule[];
}

const rx = (s: string) => new RegExp(s, 'gu');

function compileBase(r: ForbiddenSource | RequiredSource): CompiledBase {
	return {
		id: r.id,
		title: r.title,
		severity: r.severity,
		appliesTo: r.appliesTo ?? null,
		explanation: r.explanation
	};
}

/** Validates parsed rule data and compiles the regular expressions. */
export function compileRules(data: unknown): PhraseRules {
	const doc = phraseRulesSchema.parse(data);
	return {
		quotes: doc.quotes.map((q) => [q[0], q[1]]),
		rules: doc.rules.map((r): PhraseRule => {
			if (r.kind === 'forbidden') {
				return {
					...compileBase(r),
					kind: 'forbidden',
					patterns: r.patterns.map(rx),
					exceptions: r.exceptions.map(rx),
					position: r.position,
					exemptWhenSentence: r.exemptWhenSentence.map(rx),
					butNotWhenSentence: r.butNotWhenSentence.map(rx)
				};
			}
			return {
				...compileBase(r),
				kind: 'required-action',
				scope: r.scope ? { agentTurns: r.scope.agentTurns, count: r.scope.count ?? 1 } : null,
				require: (r.require ?? []).map((g) => ({ label: g.label, anyOf: g.anyOf.map(rx) })),
				ordered: r.ordered,
				event: r.event ?? null
			};
		})
	};
}

/** Parses the rules file (markdown with YAML frontmatter); throws a ContentError (`path:line: reason`). */
export function loadRules(source: string, path = 'content/checker/phrase-rules.md'): PhraseRules {
	return compileRules(parseFrontmatter(source, path, phraseRulesSchema).data);
}

/** Like {@link loadRules}, but returns the problem instead of throwing. */
export function checkRulesFile(
	source: string,
	path = 'content/checker/phrase-rules.md'
): { ok: true; rules: PhraseRules } | { ok: false; errors: string[] } {
	try {
		return { ok: true, rules: loadRules(source, path) };
	} catch (e) {
		if (e instanceof ContentError) return { ok: false, errors: [e.message] };
		throw e;
	}
}

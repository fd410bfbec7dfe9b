import { describe, it, expect } from 'vitest';
import { checkRulesFile, compileRules, loadRules } from './rules';
import { RULES, RULES_SOURCE } from './fixtures';

const minimal = (rule: Record<string, unknown>) => ({
	version: 1,
	rules: [
		{
			id: 'x',
			title: { zh: '标题', en: 'title' },
			severity: 'low',
			explanation: { zh: '说明', en: 'why' },
			...rule
		}
	]
});

describe('content/checker/phrase-rules.md', () => {
	it('loads and covers every forbidden expression and required action of the course', () => {
		const ids = RULES.rules.map((r) => r.id);
		expect(ids).toEqual(
			expect.arrayContaining([
				'ni-instead-of-nin',
				'flat-refusal',
				'company-policy',
				'final-o',
				'final-ne',
				'final-ma',
				'final-a',
				'tag-hao-bu-hao',
				'tag-dong-bu-dong',
				'tag-shi-bu-shi',
				'dui-dui-dui',
				'three-donts',
				'greeting',
				'ask-and-use-surname',
				'restate-problem',
				'caring-close',
				'thanks-and-goodbye',
				'customer-hangs-up-first'
			])
		);
		expect(RULES.quotes).toContainEqual(['「', '」']);
		for (const r of RULES.rules) {
			expect(r.explanation.zh.length).toBeGreaterThan(5);
			expect(r.explanation.en.length).toBeGreaterThan(5);
		}
	});

	it('is what checkRulesFile accepts', () => {
		const result = checkRulesFile(RULES_SOURCE);
		expect(result.ok).toBe(true);
	});
});

describe('rule validation', () => {
	it('applies defaults to a forbidden rule', () => {
		const [rule] = compileRules(minimal({ kind: 'forbidden', patterns: ['不行'] })).rules;
		expect(rule).toMatchObject({ kind: 'forbidden', position: 'anywhere', appliesTo: null });
	});

	it('rejects an invalid regular expression', () => {
		expect(() => compileRules(minimal({ kind: 'forbidden', patterns: ['(不行'] }))).toThrow(
			/regular expression/
		);
	});

	it('rejects unknown keys, kinds and positions', () => {
		expect(() =>
			compileRules(minimal({ kind: 'forbidden', patterns: ['a'], pattern: ['b'] }))
		).toThrow();
		expect(() => compileRules(minimal({ kind: 'banned', patterns: ['a'] }))).toThrow();
		expect(() =>
			compileRules(minimal({ kind: 'forbidden', patterns: ['a'], position: 'end' }))
		).toThrow();
	});

	it('needs either phrases with a scope or an event for a required action', () => {
		const group = { label: { zh: '问候', en: 'greeting' }, anyOf: ['您好'] };
		expect(() => compileRules(minimal({ kind: 'required-action' }))).toThrow(/either/);
		expect(() => compileRules(minimal({ kind: 'required-action', require: [group] }))).toThrow(
			/scope/
		);
		expect(() =>
			compileRules(
				minimal({ kind: 'required-action', require: [group], event: 'customer-hangs-up-first' })
			)
		).toThrow(/either/);
		const [rule] = compileRules(
			minimal({ kind: 'required-action', require: [group], scope: { agentTurns: 'last' } })
		).rules;
		expect(rule).toMatchObject({ scope: { agentTurns: 'last', count: 1 }, ordered: false });
	});

	it('rejects duplicate ids', () => {
		const doc = minimal({ kind: 'forbidden', patterns: ['a'] });
		doc.rules.push({ ...doc.rules[0] });
		expect(() => compileRules(doc)).toThrow(/duplicate/);
	});

	it('reports problems of a file as readable lines', () => {
		const bad = '---\nversion: 1\nrules:\n  - id: Bad_Id\n    kind: forbidden\n---\n';
		const result = checkRulesFile(bad);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.join('\n')).toMatch(/rules\.0\.id/);
		expect(checkRulesFile('---\nrules: [\n---\n').ok).toBe(false);
		expect(() => loadRules('no frontmatter')).toThrow();
	});
});

import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import {
	CALL_TYPES,
	EXPECTED_ACTIONS,
	END,
	beatGraphProblems,
	defaultPath,
	parseScenario,
	scenarioSchema,
	type Beat,
	type Scenario
} from './scenario-schema';

const dir = fileURLToPath(new URL('../../../../content/scenarios/', import.meta.url));
const slugs = readdirSync(dir, { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.map((d) => d.name)
	.sort();

/** A scenario's raw frontmatter (a fresh options object keeps gray-matter from caching). */
function load(slug: string): Record<string, unknown> {
	return matter(readFileSync(`${dir}${slug}/scenario.md`, 'utf8'), {}).data;
}

/** Every problem in one scenario, as `slug: path: message` lines (empty when valid). */
function problemsOf(slug: string): string[] {
	const result = scenarioSchema.safeParse(load(slug));
	return result.success
		? []
		: result.error.issues.map((i) => `${slug}: ${i.path.join('.')}: ${i.message}`);
}

describe('content/scenarios: the real mock-call scenarios', () => {
	it('has a scenario.md in every folder', () => {
		for (const slug of slugs) expect(existsSync(`${dir}${slug}/scenario.md`), slug).toBe(true);
	});

	it('validates every scenario against the schema', () => {
		expect(slugs.flatMap(problemsOf)).toEqual([]);
	});

	// The checks below look at the scenarios that parse; the one above reports the rest.
	const scenarios = new Map<string, Scenario>();
	for (const slug of slugs) {
		const result = scenarioSchema.safeParse(load(slug));
		if (result.success) scenarios.set(slug, result.data);
	}

	it('holds at least 12 scenarios, at least 2 of every call type, difficulties 1–3 in each', () => {
		expect(scenarios.size).toBeGreaterThanOrEqual(12);
		for (const type of CALL_TYPES) {
			const ofType = [...scenarios.values()].filter((s) => s.callType === type);
			expect(ofType.length, type).toBeGreaterThanOrEqual(2);
			expect(new Set(ofType.map((s) => s.difficulty)), type).toEqual(new Set([1, 2, 3]));
		}
	});

	it('uses only known expected-action ids', () => {
		const known = new Set<string>(EXPECTED_ACTIONS);
		for (const [slug, s] of scenarios)
			for (const a of s.expectedActions) expect(known.has(a), `${slug}: ${a}`).toBe(true);
	});

	it('sends every goto and default to an existing beat or end', () => {
		for (const [slug, s] of scenarios) {
			const ids = new Set(s.beats.map((b) => b.id));
			for (const beat of s.beats)
				for (const to of [beat.default, ...beat.branches.map((b) => b.goto)])
					expect(to === END || ids.has(to), `${slug}: ${beat.id} → ${to}`).toBe(true);
		}
	});

	it('reaches end from the first beat along the defaults, without a cycle', () => {
		for (const [slug, s] of scenarios) {
			const { path, problem } = defaultPath(s.beats);
			expect(problem, slug).toBeUndefined();
			expect(path[0], slug).toBe(s.beats[0].id);
			expect(new Set(path).size, slug).toBe(path.length);
			expect(s.beats.find((b) => b.id === path.at(-1))?.default, slug).toBe(END);
			// Self-paced mode plays the default path: it should be a real conversation.
			expect(path.length, slug).toBeGreaterThanOrEqual(4);
		}
	});

	it('gives every scenario at least one branch the examiner can take', () => {
		for (const [slug, s] of scenarios)
			expect(
				s.beats.some((b) => b.branches.length > 0),
				slug
			).toBe(true);
	});

	it('keeps beat ids unique and every beat reachable', () => {
		for (const [slug, s] of scenarios) expect(beatGraphProblems(s.beats), slug).toEqual([]);
	});

	it('covers the personas the examiners asked for', () => {
		const all = [...scenarios.values()];
		expect(all.some((s) => s.persona.voice.style === 'elderly' && s.persona.age >= 65)).toBe(true);
		expect(all.some((s) => s.persona.voice.speed === 'fast')).toBe(true);
		expect(all.some((s) => s.expectedActions.includes('offer-alternative'))).toBe(true);
		expect(new Set(all.map((s) => s.persona.mood))).toContain('calm');
		expect(new Set(all.map((s) => s.persona.mood))).toContain('furious');
	});

	it('has a customer clip for every beat and none for beats that are gone', () => {
		// Rebuild with: npx tsx src/lib/server/cli/generate-scenario-audio.ts
		for (const [slug, s] of scenarios) {
			const beatsDir = `${dir}${slug}/beats/`;
			const clips = existsSync(beatsDir)
				? readdirSync(beatsDir).filter((f) => f.endsWith('.ogg'))
				: [];
			expect(clips.sort(), slug).toEqual(s.beats.map((b) => `${b.id}.ogg`).sort());
		}
	});

	it('files special complaints on the complaint form and follows up', () => {
		for (const [slug, s] of scenarios) {
			if (s.callType !== 'special-complaint') continue;
			expect(s.expectedActions, slug).toContain('escalate-complaint-form');
			expect(s.ticket.followUp, slug).toMatch(/投诉处理单/);
			expect(s.ticket.followUp, slug).toMatch(/48\s*小时/);
		}
	});

	it('quotes only the monthly prices in content/README.md', () => {
		// "<product> [每月|月费] <n> 元" anywhere in the text must give the README's price.
		const prices: [string, number][] = [
			['星享\\s*59', 59],
			['星享\\s*99', 99],
			['星享\\s*139', 139],
			['300M', 69],
			['1000M', 129],
			['星眼', 10]
		];
		for (const [slug, s] of scenarios) {
			const texts = [
				...s.beats.flatMap((b) => [b.customer, b.listenFor]),
				...s.ticket.keyPoints,
				s.ticket.resolution,
				s.ticket.followUp
			];
			for (const [name, price] of prices) {
				const re = new RegExp(`${name}(?:宽带)?[\\s，]*(?:每月|月费|一个月)?\\s*(\\d+)\\s*元`, 'g');
				for (const text of texts)
					for (const m of text.matchAll(re)) expect(Number(m[1]), `${slug}: ${m[0]}`).toBe(price);
			}
		}
	});
});

describe('scenario schema: what it rejects', () => {
	const beat = (id: string, next: string, branches: Beat['branches'] = []): Beat => ({
		id,
		customer: '客户的话',
		listenFor: '要听的',
		branches,
		default: next
	});

	it('reports a goto to an unknown beat', () => {
		const problems = beatGraphProblems([
			beat('a', 'b', [{ if: '条件', ifEn: 'if', goto: 'nowhere' }]),
			beat('b', END)
		]);
		expect(problems.join('\n')).toMatch(/unknown beat "nowhere"/);
	});

	it('reports a default path that loops', () => {
		expect(defaultPath([beat('a', 'b'), beat('b', 'a')]).problem).toMatch(/loops back to "a"/);
		expect(beatGraphProblems([beat('a', 'b'), beat('b', 'a')]).length).toBeGreaterThan(0);
	});

	it('reports a beat that only loops on its own defaults, even off the main path', () => {
		const problems = beatGraphProblems([
			beat('a', END, [{ if: '条件', ifEn: 'if', goto: 'x' }]),
			beat('x', 'y'),
			beat('y', 'x')
		]);
		expect(problems.join('\n')).toMatch(/from beat "x"/);
	});

	it('reports unreachable and repeated beats', () => {
		expect(beatGraphProblems([beat('a', END), beat('b', END)]).join('\n')).toMatch(
			/"b" cannot be reached/
		);
		expect(beatGraphProblems([beat('a', END), beat('a', END)]).join('\n')).toMatch(/repeated/);
	});

	it('names the file and line of a bad value', () => {
		const source = readFileSync(`${dir}${slugs[0]}/scenario.md`, 'utf8');
		const line = source.split('\n').findIndex((l) => l.startsWith('difficulty:')) + 1;
		const bad = source.replace(/^difficulty: \d$/m, 'difficulty: 5');
		expect(() => parseScenario(bad, 'content/scenarios/x/scenario.md')).toThrow(
			`content/scenarios/x/scenario.md:${line}: difficulty`
		);
		expect(parseScenario(source, 'x').scenario.beats.length).toBeGreaterThan(0);
	});

	it('rejects unknown action ids, a missing complaint form and callback actions inbound', () => {
		const base = load(slugs[0]);
		const bad = (patch: Record<string, unknown>) =>
			scenarioSchema.safeParse({ ...base, ...patch }).success;
		expect(bad({})).toBe(true);
		expect(bad({ expectedActions: ['greeting', 'hang-up-first'] })).toBe(false);
		expect(bad({ expectedActions: ['greeting', 'state-identity'] })).toBe(false);
		expect(bad({ callType: 'special-complaint' })).toBe(false);
		expect(bad({ rubric: 'other' })).toBe(false);
		expect(bad({ extra: 1 })).toBe(false);
	});
});

// The recordings library: which cases a person may see and hear, the player's data, and the
// phrase checker's hits (suggestions for staff; for trainees only on their released results).
import { and, eq, sql } from 'drizzle-orm';
import { resolve } from 'node:path';
import { attempts } from '../attempts/schema';
import { loadCatalog } from '../content/index';
import { db } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import { checkTranscript, type PhraseHit } from '../phrase-check/check';
import { loadRules, type CallType, type PhraseRules } from '../phrase-check/rules';
import { hasRole, type Actor } from '../people/roles';
import type { CaseEntry } from './content';

const ruleSources = import.meta.glob<string>('/content/checker/phrase-rules.md', {
	query: '?raw',
	import: 'default',
	eager: true
});
let rules: PhraseRules | null = null;
export function phraseRules(): PhraseRules {
	rules ??= loadRules(Object.values(ruleSources)[0]);
	return rules;
}

/** Audio files are read from content/ on disk (not bundled: only signed-in people may hear them). */
export const CONTENT_ROOT = resolve(process.env.CONTENT_DIR || 'content');

const STAFF = ['teacher', 'examiner', 'hr', 'admin'] as const;
export const isStaff = (actor: Actor) => hasRole(actor, ...STAFF);

export function allCases(): CaseEntry[] {
	return loadCatalog().caseContent.cases;
}

export function findCase(slug: string): CaseEntry | null {
	return allCases().find((c) => c.slug === slug) ?? null;
}

/** Cases any case-analysis assessment may draw: kept from trainees until their own result is out. */
export function assessmentPool(): Set<string> {
	return new Set(loadCatalog().caseContent.exams.flatMap((e) => e.definition.pool));
}

/** Case slugs of the trainee's attempts: `released` ones only, or all of them. */
async function attemptCases(actor: Actor, releasedOnly: boolean): Promise<Set<string>> {
	const rows = await db
		.select({ paper: attempts.paper })
		.from(attempts)
		.where(
			and(
				eq(attempts.userId, actor.id),
				eq(attempts.kind, 'case_analysis'),
				releasedOnly ? eq(attempts.state, 'released') : sql`true`
			)
		);
	return new Set(
		rows.flatMap((r) =>
			((r.paper as unknown as { cases?: { slug: string }[] }).cases ?? []).map((c) => c.slug)
		)
	);
}

async function visibleToTrainee(actor: Actor): Promise<Set<string>> {
	const pool = assessmentPool();
	const released = await attemptCases(actor, true);
	return new Set(
		allCases()
			.filter((c) => !pool.has(c.slug) || released.has(c.slug))
			.map((c) => c.slug)
	);
}

export type LibraryFilter = { callType?: string | null; skill?: string | null };

export async function listLibrary(actor: Actor, filter: LibraryFilter = {}) {
	assertRole(actor, 'trainee', ...STAFF);
	const staff = isStaff(actor);
	const visible = staff ? null : await visibleToTrainee(actor);
	const pool = assessmentPool();
	const cases = allCases().filter((c) => !visible || visible.has(c.slug));
	return {
		total: cases.length,
		hiddenForAssessment: staff ? 0 : allCases().length - cases.length,
		cases: cases
			.filter(
				(c) =>
					(!filter.callType || c.callType === filter.callType) &&
					(!filter.skill || c.skills.includes(filter.skill as never))
			)
			.map((c) => ({
				slug: c.slug,
				title: c.title,
				titleEn: c.titleEn,
				callType: c.callType,
				difficulty: c.difficulty,
				quality: c.quality,
				skills: c.skills,
				summary: c.summary,
				summaryEn: c.summaryEn,
				duration: c.duration,
				inPool: staff && pool.has(c.slug)
			})),
		skills: [...new Set(cases.flatMap((c) => c.skills))].sort()
	};
}

export function phraseHits(slug: string): PhraseHit[] {
	const c = findCase(slug);
	if (!c) return [];
	return checkTranscript(c.transcript, phraseRules(), { callType: c.callType as CallType });
}

/** The player page: transcript and prompts for everyone allowed; the reference annotations,
 *  analysis and checker hits for staff only. */
export async function caseForPlayer(actor: Actor, slug: string) {
	assertRole(actor, 'trainee', ...STAFF);
	const c = findCase(slug);
	if (!c) throw new RuleViolation('error_not_found');
	const staff = isStaff(actor);
	if (!staff && !(await visibleToTrainee(actor)).has(slug))
		throw new RuleViolation('error_not_found');
	const base = {
		slug: c.slug,
		title: c.title,
		titleEn: c.titleEn,
		callType: c.callType,
		difficulty: c.difficulty,
		quality: c.quality,
		skills: c.skills,
		summary: c.summary,
		summaryEn: c.summaryEn,
		prompts: c.prompts,
		duration: c.duration,
		hash: c.hash,
		hungUpFirst: c.transcript.hungUpFirst,
		turns: c.transcript.turns.map((t) => ({
			line: t.line,
			speaker: t.speaker,
			text: t.text,
			start: t.start ?? 0,
			end: t.end ?? 0
		}))
	};
	if (!staff) return { ...base, staff: null };
	return {
		...base,
		staff: {
			referenceClassification: c.referenceClassification,
			referenceAnalysis: c.referenceAnalysis,
			annotations: c.annotations.map((a) => ({
				line: a.line,
				to: a.to ?? null,
				start: a.start,
				end: a.end,
				category: a.category,
				rule: a.rule ?? null,
				note: a.note
			})),
			hits: phraseHits(slug)
		}
	};
}

/** May this person hear the recording? Staff: any case; trainees: library cases and the cases
 *  of their own attempts (which they are analysing, or whose results are out). */
export async function canHearCase(actor: Actor, slug: string): Promise<boolean> {
	assertRole(actor, 'trainee', ...STAFF);
	if (!findCase(slug)) return false;
	if (isStaff(actor)) return true;
	if (!assessmentPool().has(slug)) return true;
	return (await attemptCases(actor, false)).has(slug);
}

export function audioPath(slug: string): string {
	if (!findCase(slug)) throw new RuleViolation('error_not_found');
	return resolve(CONTENT_ROOT, 'cases', slug, 'call.ogg');
}

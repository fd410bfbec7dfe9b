// Case-analysis attempts for the trainee: availability, start (draws cases and snapshots the
// paper and key), the taking view (no key), and the result after release. Saving answers,
// submitting and the deadline are the written-test machinery's (../attempts/attempts.ts).
import { and, desc, eq } from 'drizzle-orm';
import {
	attemptForTaker,
	openAttempt,
	availabilityOf,
	type Attempt,
	type Availability
} from '../attempts/attempts';
import { attempts, responses } from '../attempts/schema';
import { findCaseExam, getProgram, loadCatalog, stageOfExam } from '../content/index';
import { db, type Executor } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { itemIdOf, matchCase, TASKS, type CaseKey, type CasePaper } from './auto-score';
import { caseGradings } from './schema';
import { phraseHits } from './library';
import { rubricItems } from './rubric';

export type CaseAvailability = Availability;

export function requireCaseExam(slug: string) {
	const exam = findCaseExam(slug);
	const placed = stageOfExam(slug);
	if (!exam || !placed) throw new RuleViolation('error_not_found');
	return { exam, placed };
}

/** The case-analysis assessments of the program (normally one). */
export function caseExamSlugs(): string[] {
	return getProgram().stages.flatMap((s) =>
		s.assessments.filter((a) => a.kind === 'case_analysis').map((a) => a.exam)
	);
}

export async function caseAvailability(
	actor: Actor,
	examSlug: string,
	exec: Executor = db
): Promise<CaseAvailability> {
	const { exam } = requireCaseExam(examSlug);
	return availabilityOf(actor, examSlug, exam.definition.attemptsAllowed, exec);
}

/** Draws `draw` cases from the pool (uniformly, without replacement). */
export function drawCases(pool: string[], n: number, random: () => number = Math.random): string[] {
	const list = [...pool];
	for (let i = list.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[list[i], list[j]] = [list[j], list[i]];
	}
	return list.slice(0, n);
}

/** The served paper (no key) and the key of an attempt at `examSlug` with the given cases. */
export function buildCaseAttempt(
	examSlug: string,
	slugs: string[]
): { paper: CasePaper; key: CaseKey; itemIds: string[] } {
	const { exam } = requireCaseExam(examSlug);
	const content = loadCatalog().caseContent;
	const rubric = content.rubrics.find((r) => r.slug === exam.definition.rubric)!;
	const d = exam.definition;
	const cases = slugs.map((slug) => content.cases.find((c) => c.slug === slug)!);
	const paper: CasePaper = {
		kind: 'case_analysis',
		title: d.title,
		titleEn: d.titleEn,
		instructions: exam.instructions,
		rewriteLines: d.rewriteLines,
		cases: cases.map((c, i) => ({
			slug: c.slug,
			number: i + 1,
			prompts: c.prompts,
			duration: c.duration,
			turns: c.transcript.turns.map((t) => ({
				line: t.line,
				speaker: t.speaker,
				text: t.text,
				start: t.start ?? 0,
				end: t.end ?? 0
			}))
		}))
	};
	const key: CaseKey = {
		kind: 'case_analysis',
		passMark: d.passMark,
		weights: d.weights,
		toleranceSeconds: d.toleranceSeconds,
		doubleMarking: d.doubleMarking,
		moderationThreshold: d.moderationThreshold,
		rubric,
		cases: Object.fromEntries(
			cases.map((c) => [
				c.slug,
				{
					title: c.title,
					titleEn: c.titleEn,
					callType: c.callType,
					referenceClassification: c.referenceClassification,
					referenceAnalysis: c.referenceAnalysis,
					hungUpFirst: c.transcript.hungUpFirst,
					annotations: c.annotations.map((a) => ({
						line: a.line,
						to: a.to,
						start: a.start,
						end: a.end,
						category: a.category,
						rule: a.rule,
						note: a.note
					}))
				}
			])
		)
	};
	const itemIds = slugs.flatMap((s) => TASKS.map((t) => itemIdOf(s, t)));
	return { paper, key, itemIds };
}

export async function startCaseAttempt(
	actor: Actor,
	examSlug: string,
	ip: string | null,
	random: () => number = Math.random
): Promise<string> {
	const { exam } = requireCaseExam(examSlug);
	const started = await openAttempt(actor, examSlug, exam.definition.attemptsAllowed, () => {
		const { paper, key, itemIds } = buildCaseAttempt(
			examSlug,
			drawCases(exam.definition.pool, exam.definition.draw, random)
		);
		return {
			kind: 'case_analysis',
			contentHash: `${exam.hash}:${key.rubric.hash}`,
			paper,
			key,
			itemIds,
			minutes: exam.definition.timeLimitMinutes
		};
	});
	return started.id;
}

export const casePaperOf = (row: Pick<Attempt, 'paper'>) => row.paper as unknown as CasePaper;
export const caseKeyOf = (row: Pick<Attempt, 'key'>) => row.key as unknown as CaseKey;

/** The trainee's attempts at case analyses, newest first; scores only once released. */
export async function myCaseAttempts(actor: Actor) {
	assertRole(actor, 'trainee');
	const rows = await db
		.select({
			id: attempts.id,
			examSlug: attempts.examSlug,
			state: attempts.state,
			attemptNo: attempts.attemptNo,
			startedAt: attempts.startedAt,
			percent: attempts.percent,
			passed: attempts.passed
		})
		.from(attempts)
		.where(and(eq(attempts.userId, actor.id), eq(attempts.kind, 'case_analysis')))
		.orderBy(desc(attempts.startedAt));
	return rows.map((r) => (r.state === 'released' ? r : { ...r, percent: null, passed: null }));
}

/** What the taker's page gets: the served paper (no key, no titles or summaries that give the
 *  call type away), their saved answers and the server's deadline. */
export async function caseTakingView(actor: Actor, attemptId: string) {
	const a = await attemptForTaker(actor, attemptId);
	const paper = a.paper as unknown as CasePaper;
	if (paper.kind !== 'case_analysis') throw new RuleViolation('error_not_found');
	return {
		id: a.id,
		examSlug: a.examSlug,
		state: a.state,
		attemptNo: a.attemptNo,
		deadlineAt: a.deadlineAt.toISOString(),
		serverNow: a.serverNow.toISOString(),
		submitReason: a.submitReason,
		paper,
		responses: Object.fromEntries(
			Object.entries(a.responses).map(([id, r]) => [id, { value: r.value, seq: r.seq }])
		)
	};
}

/** After release: per case the reference (classification, annotations, analysis), the match of
 *  the trainee's marks, the phrase checker's hits; the rubric result with the graders' comments. */
export async function caseResultView(actor: Actor, attemptId: string) {
	assertRole(actor, 'trainee');
	const [row] = await db
		.select()
		.from(attempts)
		.where(
			and(
				eq(attempts.id, attemptId),
				eq(attempts.userId, actor.id),
				eq(attempts.kind, 'case_analysis')
			)
		);
	if (!row) throw new RuleViolation('error_not_found');
	if (row.state !== 'released') throw new RuleViolation('exam_not_released');
	const paper = casePaperOf(row);
	const key = caseKeyOf(row);
	const saved = await db.select().from(responses).where(eq(responses.attemptId, row.id));
	const answers = Object.fromEntries(saved.map((r) => [r.itemId, r.value]));
	const gradings = await db
		.select()
		.from(caseGradings)
		.where(and(eq(caseGradings.attemptId, row.id), eq(caseGradings.state, 'submitted')));
	const final = gradings.find((g) => g.role === 'moderator');
	const markers = gradings.filter((g) => g.role === 'marker');
	const items = rubricItems(key.rubric).map((item) => {
		const level = final
			? final.scores[item.id]
			: markers.length
				? markers.reduce((n, g) => n + (g.scores[item.id] ?? 0), 0) / markers.length
				: null;
		return {
			id: item.id,
			title: item.title,
			titleEn: item.titleEn,
			weight: item.weight,
			critical: item.critical,
			level,
			levels: item.levels
		};
	});
	return {
		id: row.id,
		title: paper.title,
		titleEn: paper.titleEn,
		attemptNo: row.attemptNo,
		percent: row.percent,
		passed: row.passed,
		passMark: key.passMark,
		weights: key.weights,
		rubricPercent: row.itemScores?.rubric?.points ?? null,
		items,
		comments: [...markers, ...(final ? [final] : [])].flatMap((g) => g.comments),
		summaries: [...markers, ...(final ? [final] : [])].map((g) => g.summary).filter(Boolean),
		moderationReason: final?.reason ?? null,
		cases: paper.cases.map((c) => {
			const k = key.cases[c.slug];
			const match = matchCase(key, c.slug, answers[itemIdOf(c.slug, 'marks')]);
			return {
				slug: c.slug,
				number: c.number,
				title: k.title,
				titleEn: k.titleEn,
				classification: (answers[itemIdOf(c.slug, 'classification')] as string | undefined) ?? null,
				referenceClassification: k.referenceClassification,
				referenceAnalysis: k.referenceAnalysis,
				annotations: k.annotations,
				marks: answers[itemIdOf(c.slug, 'marks')] ?? [],
				match,
				hits: phraseHits(c.slug)
			};
		})
	};
}

// Page data for written tests: exam summaries, the paper with rendered stems, the review.
import { findExam, getProgram } from '../content/index';
import { formItem } from '$lib/exam-form';
import { renderMarkdown, renderStem } from '../content/markdown';
import type { ServedPaper } from '../exams/draw';
import type { Actor } from '../people/roles';
import { itemHtml } from '../render/exam-items';
import {
	examAvailability,
	myAttempts,
	reviewAttempt,
	writtenAttemptForTaker,
	type TakerAttempt
} from './attempts';

export function examSummary(slug: string) {
	const exam = findExam(slug);
	if (!exam) return null;
	const d = exam.definition;
	return {
		slug,
		title: d.title,
		titleEn: d.titleEn,
		timeLimitMinutes: d.timeLimitMinutes,
		passMark: d.passMark,
		attemptsAllowed: d.attemptsAllowed,
		release: d.release,
		items: d.sections.reduce((n, s) => n + s.draw, 0),
		totalPoints: d.totalPoints
	};
}

export async function myAssessments(actor: Actor) {
	const program = getProgram();
	const attempts = await myAttempts(actor);
	return Promise.all(
		program.stages.map(async (stage) => ({
			slug: stage.slug,
			title: stage.title,
			titleEn: stage.titleEn,
			assessments: await Promise.all(
				stage.assessments.map(async (a) => {
					const summary = a.kind === 'written' ? examSummary(a.exam) : null;
					return {
						exam: a.exam,
						kind: a.kind,
						summary,
						availability: summary ? await examAvailability(actor, a.exam) : null,
						attempts: attempts.filter((t) => t.examSlug === a.exam)
					};
				})
			)
		}))
	);
}

/** The served paper with stems rendered to HTML on the server (the browser gets no markdown
 *  library), items numbered across sections. */
export function renderPaper(paper: ServedPaper) {
	let n = 0;
	return {
		title: paper.title,
		titleEn: paper.titleEn,
		totalPoints: paper.totalPoints,
		sections: paper.sections.map((s) => ({
			title: s.title,
			titleEn: s.titleEn,
			points: s.points,
			items: s.items.map((item) => ({ ...item, number: ++n, stemHtml: renderStem(item.stem) }))
		}))
	};
}

/** The exam page of the taker's attempt (see takingViewOf). */
export async function takingView(actor: Actor, attemptId: string) {
	return takingViewOf(await writtenAttemptForTaker(actor, attemptId));
}

/** The exam page: items numbered across sections, each with what the exam script needs to
 *  know of it and its body (stem and answer controls) as HTML. */
export function takingViewOf(a: TakerAttempt) {
	const open = a.state === 'in_progress';
	let n = 0;
	return {
		id: a.id,
		examSlug: a.examSlug,
		state: a.state,
		attemptNo: a.attemptNo,
		deadlineAt: a.deadlineAt.toISOString(),
		serverNow: a.serverNow.toISOString(),
		submitReason: a.submitReason,
		paper: {
			title: a.paper.title,
			titleEn: a.paper.titleEn,
			sections: a.paper.sections.map((s) => ({
				title: s.title,
				titleEn: s.titleEn,
				// A closed attempt's page shows no items (its answers are seen in the review).
				itemsHtml: open
					? s.items
							.map((item) =>
								itemHtml(item, ++n, renderStem(item.stem), a.responses[item.id]?.value ?? null)
							)
							.join('')
					: ''
			})),
			/** What the exam script needs to know of each item, in paper order. */
			items: a.paper.sections.flatMap((s) => s.items.map(formItem))
		},
		responses: Object.fromEntries(
			Object.entries(a.responses).map(([id, r]) => [id, { value: r.value, seq: r.seq }])
		)
	};
}

export type TakingView = ReturnType<typeof takingViewOf>;

export async function reviewView(actor: Actor, attemptId: string) {
	const r = await reviewAttempt(actor, attemptId);
	return {
		...r,
		paper: renderPaper(r.paper),
		items: Object.fromEntries(
			Object.entries(r.items).map(([id, i]) => [
				id,
				{ ...i, explanationHtml: i.explanation ? renderMarkdown(i.explanation) : null }
			])
		)
	};
}

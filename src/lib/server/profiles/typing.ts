// Typing tests: the trainee types a passage; the server recomputes the metrics from the
// passage, the committed text and the elapsed time, stores the attempt and adds it to the dossier.
import { desc, eq } from 'drizzle-orm';
import { typingMetrics, TYPING_LINE_CPM, countable } from '../../typing';
import { activeEnrollmentOf, traineeAccess } from '../cohorts/access';
import { db } from '../db/client';
import { recordDossierEvent } from '../dossier/events';
import { assertRole, RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { findPassage, PASSAGES } from './passages';
import { typingAttempts } from './schema';

export const MIN_DURATION_MS = 5_000;
export const MAX_DURATION_MS = 30 * 60_000;

export type TypingAttempt = typeof typingAttempts.$inferSelect & {
	passageTitle: string;
	passageTitleEn: string;
};

export async function recordTypingAttempt(
	actor: Actor,
	input: { passageId: string; text: string; durationMs: number }
): Promise<TypingAttempt> {
	assertRole(actor, 'trainee');
	const passage = findPassage(input.passageId);
	if (!passage) throw new RuleViolation('cohorts_typing_unknown_passage', 'passageId');
	const typed = countable(input.text);
	if (typed.length === 0) throw new RuleViolation('cohorts_typing_empty', 'text');
	if (typed.length > countable(passage.text).length * 2)
		throw new RuleViolation('cohorts_typing_too_long', 'text');
	const durationMs = Math.round(input.durationMs);
	if (!Number.isFinite(durationMs) || durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS)
		throw new RuleViolation('cohorts_typing_bad_duration', 'durationMs');
	const m = typingMetrics(passage.text, input.text, durationMs);
	const enrollment = await activeEnrollmentOf(actor.id);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(typingAttempts)
			.values({
				userId: actor.id,
				passageId: passage.id,
				durationMs,
				committedChars: m.committedChars,
				correctChars: m.correctChars,
				cpm: m.cpm,
				accuracy: m.accuracy
			})
			.returning();
		await recordDossierEvent(tx, {
			userId: actor.id,
			enrollmentId: enrollment?.id ?? null,
			kind: 'typing',
			at: row.createdAt,
			title: `打字测试：${passage.title}`,
			titleEn: `Typing test: ${passage.titleEn}`,
			score: m.cpm,
			maxScore: null,
			passed: m.cpm >= TYPING_LINE_CPM,
			actorId: actor.id,
			ref: { type: 'typing_attempt', id: row.id },
			detail: { accuracy: m.accuracy, committedChars: m.committedChars, durationMs }
		});
		return { ...row, passageTitle: passage.title, passageTitleEn: passage.titleEn };
	});
}

/** Every attempt of a trainee, newest first (the trainee themself, their teacher, examiners, HR). */
export async function typingAttemptsOf(actor: Actor, userId: string): Promise<TypingAttempt[]> {
	await traineeAccess(actor, userId);
	const rows = await db
		.select()
		.from(typingAttempts)
		.where(eq(typingAttempts.userId, userId))
		.orderBy(desc(typingAttempts.createdAt));
	return rows.map((r) => {
		const p = PASSAGES.find((x) => x.id === r.passageId);
		return {
			...r,
			passageTitle: p?.title ?? r.passageId,
			passageTitleEn: p?.titleEn ?? r.passageId
		};
	});
}

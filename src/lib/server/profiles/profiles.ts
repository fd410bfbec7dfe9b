// The pre-training communication record (培训前沟通): 16 items × 5/3/1, a note per item and an
// overall note. Draft → final; a final version is read-only; a correction is a new version.
// Finalising opens the dossier (a 'profile' timeline entry) and starts the enrollment's training.
import { and, desc, eq, sql } from 'drizzle-orm';
import { PROFILE_SKILLS, type Skill } from '../../skills';
import { recordAudit } from '../audit/log';
import { requireActiveTeacher, traineeAccess } from '../cohorts/access';
import { enrollments } from '../cohorts/schema';
import { db, type Executor } from '../db/client';
import { transition, type EnrollmentState } from '../decisions/stage-machine';
import { recordDossierEvent } from '../dossier/events';
import { RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { profileRecords } from './schema';
import { programShape } from '../decisions/program';

export const PROFILE_GROUPS: { id: 'talk' | 'business'; items: Skill[] }[] = [
	{ id: 'talk', items: PROFILE_SKILLS.slice(0, 8) },
	{ id: 'business', items: PROFILE_SKILLS.slice(8) }
];
export const PROFILE_LEVELS = [5, 3, 1] as const;
export const PROFILE_MAX = PROFILE_SKILLS.length * 5;

export type ProfileInput = {
	scores: Partial<Record<string, number | null>>;
	itemNotes: Partial<Record<string, string>>;
	overallNote: string;
	/** Required when the new version corrects a final one. */
	correctionReason?: string | null;
};

export type ProfileRecord = typeof profileRecords.$inferSelect & { interviewerName: string };

function clean(input: ProfileInput) {
	const scores: Record<string, number> = {};
	const itemNotes: Record<string, string> = {};
	for (const skill of PROFILE_SKILLS) {
		const v = input.scores[skill];
		if (v !== null && v !== undefined && (v as unknown) !== '') {
			const n = Number(v);
			if (!PROFILE_LEVELS.includes(n as 5 | 3 | 1))
				throw new RuleViolation('cohorts_error_profile_level', `scores.${skill}`);
			scores[skill] = n;
		}
		const note = (input.itemNotes[skill] ?? '').trim();
		if (note.length > 500)
			throw new RuleViolation('error_too_long', `itemNotes.${skill}`, { max: 500 });
		if (note) itemNotes[skill] = note;
	}
	const overallNote = input.overallNote.trim();
	if (overallNote.length > 4000)
		throw new RuleViolation('error_too_long', 'overallNote', { max: 4000 });
	return { scores, itemNotes, overallNote };
}

async function versions(userId: string, exec: Executor = db): Promise<ProfileRecord[]> {
	const rows = await exec
		.select({ p: profileRecords, interviewerName: users.displayName })
		.from(profileRecords)
		.innerJoin(users, eq(users.id, profileRecords.interviewerId))
		.where(eq(profileRecords.userId, userId))
		.orderBy(desc(profileRecords.version));
	return rows.map((r) => ({ ...r.p, interviewerName: r.interviewerName }));
}

/** Saves the draft (creating a new version when the latest one is final). Only the homeroom
 *  teacher of the trainee's active cohort. */
export async function saveProfileDraft(
	actor: Actor,
	userId: string,
	input: ProfileInput,
	ip: string | null
): Promise<{ id: string; version: number }> {
	const data = clean(input);
	const { enrollment } = await requireActiveTeacher(actor, userId);
	return db.transaction(async (tx) => {
		await tx.execute(
			sql`select 1 from ${enrollments} where ${enrollments.id} = ${enrollment.id} for update`
		);
		const [latest] = await tx
			.select()
			.from(profileRecords)
			.where(eq(profileRecords.userId, userId))
			.orderBy(desc(profileRecords.version))
			.limit(1);
		let saved: { id: string; version: number };
		if (latest?.status === 'draft') {
			await tx
				.update(profileRecords)
				.set({
					...data,
					interviewerId: actor.id,
					updatedAt: sql`now()`,
					correctionReason:
						latest.version > 1 ? input.correctionReason?.trim() || latest.correctionReason : null
				})
				.where(eq(profileRecords.id, latest.id));
			saved = { id: latest.id, version: latest.version };
		} else {
			const reason = input.correctionReason?.trim() ?? '';
			if (latest && !reason)
				throw new RuleViolation('cohorts_error_correction_reason', 'correctionReason');
			const version = (latest?.version ?? 0) + 1;
			const [row] = await tx
				.insert(profileRecords)
				.values({
					userId,
					enrollmentId: enrollment.id,
					version,
					status: 'draft',
					...data,
					correctionReason: latest ? reason : null,
					interviewerId: actor.id
				})
				.returning({ id: profileRecords.id });
			saved = { id: row.id, version };
		}
		await recordAudit(
			{
				actor,
				action: 'profiles.save_draft',
				target: `user:${userId}`,
				ip,
				detail: { version: saved.version }
			},
			tx
		);
		return saved;
	});
}

/** Saves and finalises the draft: every item must be scored. */
export async function finaliseProfile(
	actor: Actor,
	userId: string,
	input: ProfileInput,
	ip: string | null
): Promise<{ id: string; version: number }> {
	const data = clean(input);
	const missing = PROFILE_SKILLS.filter((s) => data.scores[s] === undefined);
	if (missing.length)
		throw new RuleViolation('cohorts_error_profile_incomplete', `scores.${missing[0]}`, {
			count: missing.length
		});
	const saved = await saveProfileDraft(actor, userId, input, ip);
	const { enrollment } = await requireActiveTeacher(actor, userId);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.update(profileRecords)
			.set({ status: 'final', finalisedAt: sql`now()`, updatedAt: sql`now()` })
			.where(and(eq(profileRecords.id, saved.id), eq(profileRecords.status, 'draft')))
			.returning();
		if (!row) throw new RuleViolation('cohorts_error_conflict');
		const total = Object.values(row.scores).reduce((a, b) => a + b, 0);
		await recordDossierEvent(tx, {
			userId,
			enrollmentId: enrollment.id,
			kind: 'profile',
			at: row.finalisedAt ?? new Date(),
			title: row.version > 1 ? `培训前沟通记录（第 ${row.version} 版，更正）` : '培训前沟通记录',
			titleEn:
				row.version > 1
					? `Pre-training interview (version ${row.version}, correction)`
					: 'Pre-training interview',
			score: total,
			maxScore: PROFILE_MAX,
			actorId: actor.id,
			ref: { type: 'profile', id: row.id },
			detail: { version: row.version, correctionReason: row.correctionReason }
		});
		// The interview opens the dossier: training starts.
		if (enrollment.stageStatus === 'not_started') {
			const state: EnrollmentState = {
				stageIndex: enrollment.stageIndex,
				status: 'not_started',
				retrains: enrollment.retrains,
				readyForCertification: enrollment.readyForCertification
			};
			const t = transition(programShape(enrollment.programSlug), state, { type: 'start' });
			if (t.ok)
				await tx
					.update(enrollments)
					.set({ stageStatus: t.state.status, version: sql`${enrollments.version} + 1` })
					.where(
						and(eq(enrollments.id, enrollment.id), eq(enrollments.stageStatus, 'not_started'))
					);
		}
		await recordAudit(
			{
				actor,
				action: 'profiles.finalise',
				target: `user:${userId}`,
				ip,
				detail: { version: row.version, total }
			},
			tx
		);
	});
	return saved;
}

export type ProfileView = {
	/** The latest final version (what the dossier shows), or null. */
	final: ProfileRecord | null;
	/** The draft in progress; staff with teacher access only. */
	draft: ProfileRecord | null;
	versions: {
		id: string;
		version: number;
		status: string;
		finalisedAt: Date | null;
		interviewerName: string;
		correctionReason: string | null;
	}[];
};

/** The trainee's record as this viewer may see it: the trainee gets scores only (no notes,
 *  no drafts); HR and examiners the final versions; the teacher also the draft. */
export async function getProfile(actor: Actor, userId: string): Promise<ProfileView> {
	const access = await traineeAccess(actor, userId);
	const all = await versions(userId);
	let final = all.find((v) => v.status === 'final') ?? null;
	const draft = access.level === 'teacher' && all[0]?.status === 'draft' ? all[0] : null;
	if (final && access.level === 'self') final = { ...final, itemNotes: {}, overallNote: '' };
	return {
		final,
		draft,
		versions: all
			.filter((v) => v.status === 'final' || access.level === 'teacher')
			.map((v) => ({
				id: v.id,
				version: v.version,
				status: v.status,
				finalisedAt: v.finalisedAt,
				interviewerName: v.interviewerName,
				correctionReason: v.correctionReason
			}))
	};
}

/** Strengths (5), weaknesses (1) and items to improve (3) of a final record. */
export function strengthsAndWeaknesses(scores: Record<string, number>): {
	strengths: Skill[];
	weaknesses: Skill[];
	toImprove: Skill[];
} {
	const by = (n: number) => PROFILE_SKILLS.filter((s) => scores[s] === n);
	return { strengths: by(5), weaknesses: by(1), toImprove: by(3) };
}

// Teacher notes on a trainee (typed: talk, praise, warning, concern, observation) or on the
// cohort as a whole. Private to the cohort's homeroom teacher unless shared with HR.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { requireActiveTeacher, requireCohort } from '../cohorts/access';
import { db } from '../db/client';
import { RuleViolation } from '../errors';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { recordDossierEvent } from './events';
import { NOTE_KINDS, teacherNotes, type NoteKind } from './schema';

export type NoteInput = { kind: NoteKind; body: string; sharedWithHr: boolean };

const KIND_TITLES: Record<NoteKind, [string, string]> = {
	talk: ['谈话记录', 'Talk'],
	praise: ['表扬', 'Praise'],
	warning: ['警示', 'Warning'],
	concern: ['关注', 'Concern'],
	observation: ['观察', 'Observation']
};

function checkNote(input: NoteInput): { kind: NoteKind; body: string; sharedWithHr: boolean } {
	if (!NOTE_KINDS.includes(input.kind)) throw new RuleViolation('cohorts_error_note_kind', 'kind');
	const body = input.body.trim();
	if (!body) throw new RuleViolation('error_required', 'body');
	if (body.length > 4000) throw new RuleViolation('error_too_long', 'body', { max: 4000 });
	return { kind: input.kind, body, sharedWithHr: !!input.sharedWithHr };
}

/** A note on one trainee, by the homeroom teacher of their active cohort. */
export async function addTraineeNote(
	actor: Actor,
	userId: string,
	input: NoteInput,
	ip: string | null
): Promise<{ id: string }> {
	const note = checkNote(input);
	const { enrollment, cohort } = await requireActiveTeacher(actor, userId);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(teacherNotes)
			.values({ cohortId: cohort.id, userId, ...note, authorId: actor.id })
			.returning({ id: teacherNotes.id, createdAt: teacherNotes.createdAt });
		const [zh, en] = KIND_TITLES[note.kind];
		await recordDossierEvent(tx, {
			userId,
			enrollmentId: enrollment.id,
			kind: 'note',
			at: row.createdAt,
			title: zh,
			titleEn: en,
			actorId: actor.id,
			ref: { type: 'note', id: row.id },
			visibility: note.sharedWithHr ? 'hr' : 'staff',
			detail: { cohortId: cohort.id, noteKind: note.kind, body: note.body }
		});
		await recordAudit(
			{
				actor,
				action: 'dossier.note',
				target: `user:${userId}`,
				ip,
				detail: { kind: note.kind, shared: note.sharedWithHr }
			},
			tx
		);
		return { id: row.id };
	});
}

/** A note on the cohort as a whole, by its homeroom teacher. */
export async function addCohortNote(
	actor: Actor,
	cohortId: string,
	input: NoteInput,
	ip: string | null
): Promise<{ id: string }> {
	const note = checkNote(input);
	await requireCohort(actor, cohortId, ['teacher']);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(teacherNotes)
			.values({ cohortId, userId: null, ...note, authorId: actor.id })
			.returning({ id: teacherNotes.id });
		await recordAudit(
			{
				actor,
				action: 'cohorts.note',
				target: `cohort:${cohortId}`,
				ip,
				detail: { kind: note.kind, shared: note.sharedWithHr }
			},
			tx
		);
		return row;
	});
}

export type NoteView = {
	id: string;
	kind: NoteKind;
	body: string;
	sharedWithHr: boolean;
	authorName: string;
	createdAt: Date;
};

/** Cohort-wide notes: the teacher sees all, HR/admin the shared ones, examiners none. */
export async function listCohortNotes(actor: Actor, cohortId: string): Promise<NoteView[]> {
	const { role } = await requireCohort(actor, cohortId, ['teacher', 'manager', 'examiner']);
	if (role === 'examiner') return [];
	const rows = await db
		.select({ n: teacherNotes, authorName: users.displayName })
		.from(teacherNotes)
		.innerJoin(users, eq(users.id, teacherNotes.authorId))
		.where(
			and(
				eq(teacherNotes.cohortId, cohortId),
				isNull(teacherNotes.userId),
				role === 'teacher' ? undefined : eq(teacherNotes.sharedWithHr, true)
			)
		)
		.orderBy(desc(teacherNotes.createdAt));
	return rows.map((r) => ({
		id: r.n.id,
		kind: r.n.kind,
		body: r.n.body,
		sharedWithHr: r.n.sharedWithHr,
		authorName: r.authorName,
		createdAt: r.n.createdAt
	}));
}

// The dossier timeline: one append-only table every feature writes to through
// recordDossierEvent(), read through dossierTimeline() with the viewer's access applied.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { traineeAccess, type TraineeAccess } from '../cohorts/access';
import { db, type Executor } from '../db/client';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { dossierEvents } from './schema';

export const DOSSIER_KINDS = [
	'profile',
	'typing',
	'course',
	'assessment',
	'decision',
	'note',
	'enrollment'
] as const;
export type DossierKind = (typeof DOSSIER_KINDS)[number];

export type DossierEventInput = {
	userId: string;
	enrollmentId?: string | null;
	kind: DossierKind;
	/** When it happened (e.g. when the attempt was graded), not when it was recorded. */
	at: Date;
	title: string;
	titleEn?: string | null;
	score?: number | null;
	maxScore?: number | null;
	passed?: boolean | null;
	/** Who graded / decided / wrote it. */
	actorId?: string | null;
	/** What it points at, e.g. { type: 'attempt', id: attempt.id }. Decisions store these as evidence. */
	ref: { type: string; id: string };
	/** 'all' (default), 'hr' (staff and HR, not the trainee), 'staff' (the cohort's teacher only). */
	visibility?: 'all' | 'hr' | 'staff';
	detail?: Record<string, unknown> | null;
};

export type DossierEvent = {
	id: string;
	kind: DossierKind;
	at: Date;
	title: string;
	titleEn: string | null;
	score: number | null;
	maxScore: number | null;
	passed: boolean | null;
	actorName: string | null;
	ref: { type: string; id: string };
	enrollmentId: string | null;
	visibility: 'all' | 'hr' | 'staff';
	detail: Record<string, unknown> | null;
};

/** Appends one entry. Pass the open transaction of the write it records, so both commit or
 *  neither does. Each call appends: call it once per graded / released result. */
export async function recordDossierEvent(
	exec: Executor,
	input: DossierEventInput
): Promise<{ id: string }> {
	const [row] = await exec
		.insert(dossierEvents)
		.values({
			userId: input.userId,
			enrollmentId: input.enrollmentId ?? null,
			kind: input.kind,
			at: input.at,
			title: input.title,
			titleEn: input.titleEn ?? null,
			score: input.score ?? null,
			maxScore: input.maxScore ?? null,
			passed: input.passed ?? null,
			actorId: input.actorId ?? null,
			refType: input.ref.type,
			refId: input.ref.id,
			visibility: input.visibility ?? 'all',
			detail: input.detail ?? null
		})
		.returning({ id: dossierEvents.id });
	return row;
}

/** Whether a viewer may see an entry: private (staff) notes only to the teacher of the cohort
 *  they were written in; shared (hr) entries to staff and HR; trainees never see notes. */
export function visibleTo(
	access: TraineeAccess,
	actorId: string,
	e: Pick<DossierEvent, 'visibility' | 'detail'> & { authorId?: string | null }
): boolean {
	if (e.visibility === 'all') return true;
	if (access.level === 'self' || access.level === 'examiner') return false;
	if (e.visibility === 'hr') return true;
	const cohortId = typeof e.detail?.cohortId === 'string' ? e.detail.cohortId : null;
	return (
		access.level === 'teacher' &&
		((cohortId !== null && access.teacherCohortIds.includes(cohortId)) || e.authorId === actorId)
	);
}

export async function timelineRows(userId: string, exec: Executor = db, kinds?: DossierKind[]) {
	return exec
		.select({ e: dossierEvents, actorName: users.displayName })
		.from(dossierEvents)
		.leftJoin(users, eq(users.id, dossierEvents.actorId))
		.where(
			kinds
				? and(eq(dossierEvents.userId, userId), inArray(dossierEvents.kind, kinds))
				: eq(dossierEvents.userId, userId)
		)
		.orderBy(asc(dossierEvents.at), asc(dossierEvents.seq));
}

function toEvent(
	r: Awaited<ReturnType<typeof timelineRows>>[number]
): DossierEvent & { authorId: string | null } {
	return {
		id: r.e.id,
		kind: r.e.kind as DossierKind,
		at: r.e.at,
		title: r.e.title,
		titleEn: r.e.titleEn,
		score: r.e.score,
		maxScore: r.e.maxScore,
		passed: r.e.passed,
		actorName: r.actorName,
		ref: { type: r.e.refType, id: r.e.refId },
		enrollmentId: r.e.enrollmentId,
		visibility: r.e.visibility,
		detail: r.e.detail ?? null,
		authorId: r.e.actorId
	};
}

/** The trainee's timeline, oldest first, as this viewer may see it (checks role and object). */
export async function dossierTimeline(
	actor: Actor,
	userId: string,
	exec: Executor = db
): Promise<DossierEvent[]> {
	const access = await traineeAccess(actor, userId, exec);
	return filterTimeline(access, actor.id, (await timelineRows(userId, exec)).map(toEvent));
}

export function filterTimeline(
	access: TraineeAccess,
	actorId: string,
	events: (DossierEvent & { authorId: string | null })[]
): DossierEvent[] {
	return events.filter((e) => visibleTo(access, actorId, e)).map(({ authorId: _a, ...e }) => e);
}

export { toEvent as toDossierEvent };

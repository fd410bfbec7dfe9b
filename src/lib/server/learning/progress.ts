// Learning progress: per person and lesson. The trainee's own functions act on actor.id only;
// staff read it for the people they are allowed to see (the cohort domain checks that).
import { eq, inArray, sql, type SQLWrapper } from 'drizzle-orm';
import type { Course, Lesson, Program } from '../content/catalog';
import { db, preparedOn } from '../db/client';
import { assertRole } from '../errors';
import type { Actor } from '../people/roles';
import { lessonProgress } from './schema';

/** A single heartbeat never counts more than this: a tab left open overnight is not study. */
export const MAX_HEARTBEAT_SECONDS = 120;

export type LessonState = {
	opened: boolean;
	completed: boolean;
	secondsSpent: number;
	lastOpenedAt: Date | null;
};
export type ProgressMap = Map<string, LessonState>;

const key = (course: string, lesson: string) => `${course}/${lesson}`;

export async function openLesson(
	actor: Actor,
	lesson: Pick<Lesson, 'courseSlug' | 'slug'>
): Promise<void> {
	assertRole(actor, 'trainee');
	await db
		.insert(lessonProgress)
		.values({ userId: actor.id, courseSlug: lesson.courseSlug, lessonSlug: lesson.slug })
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.courseSlug, lessonProgress.lessonSlug],
			set: { lastOpenedAt: sql`now()` }
		});
}

export async function addStudyTime(
	actor: Actor,
	lesson: Pick<Lesson, 'courseSlug' | 'slug'>,
	seconds: number
): Promise<void> {
	assertRole(actor, 'trainee');
	const add = Math.max(0, Math.min(MAX_HEARTBEAT_SECONDS, Math.round(seconds)));
	if (add === 0) return;
	await db
		.insert(lessonProgress)
		.values({
			userId: actor.id,
			courseSlug: lesson.courseSlug,
			lessonSlug: lesson.slug,
			secondsSpent: add
		})
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.courseSlug, lessonProgress.lessonSlug],
			set: { secondsSpent: sql`${lessonProgress.secondsSpent} + ${add}`, lastOpenedAt: sql`now()` }
		});
}

export async function completeLesson(
	actor: Actor,
	lesson: Pick<Lesson, 'courseSlug' | 'slug' | 'hash'>
): Promise<void> {
	assertRole(actor, 'trainee');
	await db
		.insert(lessonProgress)
		.values({
			userId: actor.id,
			courseSlug: lesson.courseSlug,
			lessonSlug: lesson.slug,
			completedAt: sql`now()`,
			completedHash: lesson.hash
		})
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.courseSlug, lessonProgress.lessonSlug],
			// The first completion counts; reading again later does not move the date.
			set: {
				completedAt: sql`coalesce(${lessonProgress.completedAt}, now())`,
				completedHash: sql`coalesce(${lessonProgress.completedHash}, ${lesson.hash})`
			}
		});
}

async function progressRows(userIds: string[]) {
	if (userIds.length === 0) return [];
	return db.select().from(lessonProgress).where(inArray(lessonProgress.userId, userIds));
}

function toMap(rows: (typeof lessonProgress.$inferSelect)[]): ProgressMap {
	const map: ProgressMap = new Map();
	for (const r of rows)
		map.set(key(r.courseSlug, r.lessonSlug), {
			opened: true,
			completed: r.completedAt !== null,
			secondsSpent: r.secondsSpent,
			lastOpenedAt: r.lastOpenedAt
		});
	return map;
}

// Read whenever a trainee opens a page that depends on it, and at every exam start.
const myProgressRows = preparedOn((on) =>
	on
		.select()
		.from(lessonProgress)
		.where(eq(lessonProgress.userId, sql.placeholder('userId')))
		.prepare('my_progress')
);

/** The lessons a person has completed, as a subquery on `userId` (a column of the caller's
 *  statement), read with progressFromCompleted: a statement that reads other things about the
 *  person (admission, at every exam start) brings these along instead of asking again. */
export const completedLessonsOf = (userId: SQLWrapper) =>
	sql<
		[string, string][] | null
	>`(select json_agg(json_build_array(${lessonProgress.courseSlug}, ${lessonProgress.lessonSlug}))
		from ${lessonProgress} where ${lessonProgress.userId} = ${userId}
		and ${lessonProgress.completedAt} is not null)`;

/** Progress from completedLessonsOf: enough to tell which courses and stages are done (it
 *  knows nothing of time spent or lessons opened). */
export function progressFromCompleted(
	completed: readonly (readonly [string, string])[] | null
): ProgressMap {
	return new Map(
		(completed ?? []).map(([course, lesson]) => [
			key(course, lesson),
			{ opened: true, completed: true, secondsSpent: 0, lastOpenedAt: null }
		])
	);
}

export async function myProgress(actor: Actor): Promise<ProgressMap> {
	assertRole(actor, 'trainee');
	return toMap(await myProgressRows().execute({ userId: actor.id }));
}

/** Progress of several people at once (one query), for cohort grids and dossiers. The caller
 *  must already have checked that the actor may see these people. */
export async function progressOf(
	actor: Actor,
	userIds: string[]
): Promise<Map<string, ProgressMap>> {
	assertRole(actor, 'teacher', 'examiner', 'hr', 'admin');
	const byUser = new Map<string, (typeof lessonProgress.$inferSelect)[]>();
	for (const r of await progressRows(userIds))
		byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
	return new Map(userIds.map((id) => [id, toMap(byUser.get(id) ?? [])]));
}

export type CourseCounts = {
	/** Completed lessons per course slug, counting only lessons still in the catalogue. */
	done: Map<string, number>;
	lastOpenedAt: Date | null;
};

/** Per person: lessons done per course and when they last opened one, counted in the
 *  database, for grids over whole cohorts (thousands of people × every lesson). `people` is a
 *  list of ids or a subquery selecting them. The caller must already have checked that the
 *  actor may see these people. People without any progress are absent from the map. */
export async function courseCountsOf(
	actor: Actor,
	people: string[] | SQLWrapper,
	courses: Pick<Course, 'slug' | 'lessons'>[]
): Promise<Map<string, CourseCounts>> {
	assertRole(actor, 'teacher', 'examiner', 'hr', 'admin');
	const out = new Map<string, CourseCounts>();
	const current = courses.flatMap((c) => c.lessons.map((l) => key(c.slug, l.slug)));
	if (Array.isArray(people) && people.length === 0) return out;
	const lp = lessonProgress;
	const perCourse = db
		.select({
			userId: lp.userId,
			courseSlug: lp.courseSlug,
			done: (current.length
				? sql<number>`count(*) filter (where ${lp.completedAt} is not null and (${lp.courseSlug} || '/' || ${lp.lessonSlug}) in ${current})`
				: sql<number>`0`
			).as('done'),
			last: sql<Date | null>`max(${lp.lastOpenedAt})`.as('last')
		})
		.from(lp)
		.where(inArray(lp.userId, people))
		.groupBy(lp.userId, lp.courseSlug)
		.as('per_course');
	// One row a person (not one a person and course): thousands fewer rows to map.
	const rows = await db
		.select({
			userId: perCourse.userId,
			done: sql<
				Record<string, number>
			>`json_object_agg(${perCourse.courseSlug}, ${perCourse.done})`,
			lastOpenedAt: sql<Date | null>`max(${perCourse.last})`.mapWith(lp.lastOpenedAt)
		})
		.from(perCourse)
		.groupBy(perCourse.userId);
	for (const r of rows) {
		const done = typeof r.done === 'string' ? JSON.parse(r.done) : r.done;
		out.set(r.userId, {
			done: new Map(Object.entries(done as Record<string, number>).map(([c, n]) => [c, Number(n)])),
			lastOpenedAt: r.lastOpenedAt
		});
	}
	return out;
}

export function lessonState(
	progress: ProgressMap,
	lesson: Pick<Lesson, 'courseSlug' | 'slug'>
): LessonState {
	return (
		progress.get(key(lesson.courseSlug, lesson.slug)) ?? {
			opened: false,
			completed: false,
			secondsSpent: 0,
			lastOpenedAt: null
		}
	);
}

export type CourseSummary = {
	slug: string;
	done: number;
	total: number;
	percent: number;
	minutesLeft: number;
	secondsSpent: number;
	completed: boolean;
	/** Prerequisite courses not yet completed; empty when the course is open. */
	lockedBy: string[];
};

export function summariseCourses(courses: Course[], progress: ProgressMap): CourseSummary[] {
	const completedCourses = new Set<string>();
	const out: CourseSummary[] = [];
	for (const c of courses) {
		const states = c.lessons.map((l) => lessonState(progress, l));
		const done = states.filter((s) => s.completed).length;
		const minutesLeft = c.lessons.reduce(
			(n, l, i) => n + (states[i].completed ? 0 : l.estimatedMinutes),
			0
		);
		const completed = done === c.lessons.length;
		if (completed) completedCourses.add(c.slug);
		out.push({
			slug: c.slug,
			done,
			total: c.lessons.length,
			percent: c.lessons.length ? Math.round((done / c.lessons.length) * 100) : 0,
			minutesLeft,
			secondsSpent: states.reduce((n, s) => n + s.secondsSpent, 0),
			completed,
			lockedBy: []
		});
	}
	for (const [i, c] of courses.entries())
		out[i].lockedBy = c.prerequisites.filter((p) => !completedCourses.has(p));
	return out;
}

export type StageSummary = {
	slug: string;
	coursesDone: number;
	coursesTotal: number;
	ready: boolean;
	minutesLeft: number;
};

/** A stage's assessments open when its courses and those of every earlier stage are done. */
export function summariseStages(program: Program, courses: CourseSummary[]): StageSummary[] {
	let earlierDone = true;
	return program.stages.map((stage) => {
		const mine = courses.filter((c) => stage.courses.includes(c.slug));
		const done = mine.filter((c) => c.completed).length;
		const ready = earlierDone && done === mine.length;
		earlierDone = ready;
		return {
			slug: stage.slug,
			coursesDone: done,
			coursesTotal: mine.length,
			ready,
			minutesLeft: mine.reduce((n, c) => n + c.minutesLeft, 0)
		};
	});
}

/** Where "continue" goes: the most recently opened unfinished lesson, else the first
 *  unfinished lesson of the first open course, else null when everything is done. */
export function resumeTarget(
	courses: Course[],
	progress: ProgressMap,
	summaries: CourseSummary[]
): Lesson | null {
	let recent: { lesson: Lesson; at: number } | null = null;
	for (const c of courses)
		for (const l of c.lessons) {
			const s = lessonState(progress, l);
			if (
				s.opened &&
				!s.completed &&
				s.lastOpenedAt &&
				(!recent || s.lastOpenedAt.getTime() > recent.at)
			)
				recent = { lesson: l, at: s.lastOpenedAt.getTime() };
		}
	if (recent) return recent.lesson;
	for (const [i, c] of courses.entries()) {
		if (summaries[i].lockedBy.length) continue;
		const next = c.lessons.find((l) => !lessonState(progress, l).completed);
		if (next) return next;
	}
	return null;
}

/** Progress rows whose lesson no longer exists in content/ (removed from the outline). */
export function orphanedProgress(courses: Course[], progress: ProgressMap): string[] {
	const known = new Set(courses.flatMap((c) => c.lessons.map((l) => key(c.slug, l.slug))));
	return [...progress.keys()].filter((k) => !known.has(k));
}

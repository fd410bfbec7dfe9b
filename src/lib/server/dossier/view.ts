// The dossier page's data in one call: who the trainee is, the profile (radar), typing,
// course progress (read live from learning), decisions and the one timeline, with strengths,
// weaknesses and the courses/lessons that train the weak skills.
import { desc, eq } from 'drizzle-orm';
import type { Skill } from '../../skills';
import { traineeAccess, type TraineeAccess } from '../cohorts/access';
import { enrollmentHistory, type EnrollmentHistoryItem } from '../cohorts/cohorts';
import { enrollments } from '../cohorts/schema';
import { listCourses } from '../content';
import { db } from '../db/client';
import { decisionHistory, stateOf, type DecisionView } from '../decisions/decisions';
import { programOf } from '../decisions/program';
import type { EnrollmentState } from '../decisions/stage-machine';
import { myProgress, progressOf, summariseCourses, type CourseSummary } from '../learning/progress';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { getProfile, strengthsAndWeaknesses, type ProfileView } from '../profiles/profiles';
import { typingAttemptsOf, type TypingAttempt } from '../profiles/typing';
import { filterTimeline, timelineRows, toDossierEvent, type DossierEvent } from './events';

export type Recommendation = {
	courseSlug: string;
	title: string;
	titleEn: string;
	skills: Skill[];
	lessons: { slug: string; title: string; titleEn: string }[];
};

export type Dossier = {
	person: { id: string; displayName: string; login: string; employeeNo: string | null };
	access: TraineeAccess['level'];
	enrollment: {
		id: string;
		cohortId: string;
		state: EnrollmentState;
		version: number;
		programSlug: string;
	} | null;
	stages: { slug: string; title: string; titleEn: string; maxRetrains: number }[];
	history: EnrollmentHistoryItem[];
	profile: ProfileView;
	strengths: Skill[];
	weaknesses: Skill[];
	toImprove: Skill[];
	recommendations: Recommendation[];
	typing: TypingAttempt[];
	courses: (CourseSummary & { title: string; titleEn: string })[];
	decisions: DecisionView[];
	timeline: DossierEvent[];
};

export async function dossierView(actor: Actor, userId: string): Promise<Dossier> {
	const access = await traineeAccess(actor, userId);
	const [person] = await db
		.select({
			id: users.id,
			displayName: users.displayName,
			login: users.login,
			employeeNo: users.employeeNo
		})
		.from(users)
		.where(eq(users.id, userId));
	const all = await db
		.select()
		.from(enrollments)
		.where(eq(enrollments.userId, userId))
		.orderBy(desc(enrollments.enrolledAt));
	const current = all.find((e) => e.active) ?? all[0] ?? null;
	const profile = await getProfile(actor, userId);
	const sw = profile.final
		? strengthsAndWeaknesses(profile.final.scores)
		: { strengths: [], weaknesses: [], toImprove: [] };
	const weak = new Set<Skill>([...sw.weaknesses, ...sw.toImprove]);
	const courses = listCourses();
	const recommendations: Recommendation[] = [];
	for (const c of courses) {
		const lessons = c.lessons.filter((l) => l.skills.some((s) => weak.has(s)));
		const skills = [...new Set([...c.skills, ...lessons.flatMap((l) => l.skills)])].filter((s) =>
			weak.has(s)
		);
		if (skills.length)
			recommendations.push({
				courseSlug: c.slug,
				title: c.title,
				titleEn: c.titleEn,
				skills,
				lessons: lessons.map((l) => ({ slug: l.slug, title: l.title, titleEn: l.titleEn }))
			});
	}
	recommendations.sort((a, b) => b.skills.length - a.skills.length);
	const progress =
		access.level === 'self'
			? await myProgress(actor)
			: (await progressOf(actor, [userId])).get(userId)!;
	const summaries = summariseCourses(courses, progress);
	const program = programOf(current?.programSlug ?? 'onboarding');
	return {
		person,
		access: access.level,
		enrollment: current
			? {
					id: current.id,
					cohortId: current.cohortId,
					state: stateOf(current),
					version: current.version,
					programSlug: current.programSlug
				}
			: null,
		stages: program.stages.map((s) => ({
			slug: s.slug,
			title: s.title,
			titleEn: s.titleEn,
			maxRetrains: s.maxRetrains
		})),
		history: await enrollmentHistory(userId),
		profile,
		...sw,
		recommendations,
		typing: await typingAttemptsOf(actor, userId),
		courses: summaries.map((s, i) => ({
			...s,
			title: courses[i].title,
			titleEn: courses[i].titleEn
		})),
		decisions: await decisionHistory(actor, userId),
		timeline: filterTimeline(access, actor.id, (await timelineRows(userId)).map(toDossierEvent))
	};
}

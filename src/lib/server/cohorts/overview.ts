// The homeroom teacher's grid: every trainee of a cohort × stage, courses, profile, typing,
// with at-risk flags; and the class summary template that pulls the cohort's figures.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { listCourses } from '../content';
import { db } from '../db/client';
import { stageDecisions } from '../decisions/schema';
import { programOf } from '../decisions/program';
import { stateOf } from '../decisions/decisions';
import type { EnrollmentState } from '../decisions/stage-machine';
import { dossierEvents } from '../dossier/schema';
import { courseCountsOf } from '../learning/progress';
import type { Actor } from '../people/roles';
import { users } from '../people/schema';
import { profileRecords, typingAttempts } from '../profiles/schema';
import { PROFILE_MAX } from '../profiles/profiles';
import { TYPING_LINE_CPM } from '../../typing';
import { requireCohort, type CohortRole } from './access';
import { enrollments } from './schema';

export const INACTIVE_DAYS = 7;
export const RISK_FLAGS = ['behind', 'failed', 'low_profile', 'inactive'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

export type GridRow = {
	userId: string;
	displayName: string;
	login: string;
	employeeNo: string | null;
	enrollmentId: string;
	state: EnrollmentState;
	profile: 'none' | 'draft' | 'final';
	profileScore: number | null;
	lowItems: number;
	bestCpm: number | null;
	courses: { slug: string; percent: number; completed: boolean }[];
	lessonsDone: number;
	lessonsTotal: number;
	assessments: {
		title: string;
		passed: boolean | null;
		score: number | null;
		maxScore: number | null;
	}[];
	lastActivity: Date | null;
	flags: RiskFlag[];
};

export type CohortGrid = {
	role: CohortRole;
	rows: GridRow[];
	courses: { slug: string; title: string; titleEn: string }[];
	profileMax: number;
};

const DAY = 24 * 60 * 60 * 1000;

export async function cohortGrid(
	actor: Actor,
	cohortId: string,
	now = new Date()
): Promise<CohortGrid> {
	const { cohort, role } = await requireCohort(actor, cohortId, ['manager', 'teacher', 'examiner']);
	const members = await db
		.select({
			e: enrollments,
			u: {
				id: users.id,
				displayName: users.displayName,
				login: users.login,
				employeeNo: users.employeeNo
			}
		})
		.from(enrollments)
		.innerJoin(users, eq(users.id, enrollments.userId))
		.where(and(eq(enrollments.cohortId, cohortId), eq(enrollments.active, true)))
		.orderBy(users.displayName);
	// The members as a subquery, not a list of thousands of ids: cheaper to build and to plan.
	const ids = db
		.select({ id: enrollments.userId })
		.from(enrollments)
		.where(and(eq(enrollments.cohortId, cohortId), eq(enrollments.active, true)));
	const courses = listCourses();
	const progress = await courseCountsOf(actor, ids, courses);
	const profiles = await db
		.select({
			userId: profileRecords.userId,
			status: profileRecords.status,
			scores: profileRecords.scores
		})
		.from(profileRecords)
		.where(inArray(profileRecords.userId, ids))
		.orderBy(desc(profileRecords.version));
	const typing = await db
		.select({ userId: typingAttempts.userId, cpm: typingAttempts.cpm })
		.from(typingAttempts)
		.where(inArray(typingAttempts.userId, ids));
	const events = await db
		.select({
			userId: dossierEvents.userId,
			enrollmentId: dossierEvents.enrollmentId,
			kind: dossierEvents.kind,
			at: dossierEvents.at,
			actorId: dossierEvents.actorId,
			title: dossierEvents.title,
			passed: dossierEvents.passed,
			score: dossierEvents.score,
			maxScore: dossierEvents.maxScore
		})
		.from(dossierEvents)
		.where(inArray(dossierEvents.userId, ids))
		.orderBy(dossierEvents.at);
	const start = Date.parse(cohort.startsOn);
	const end = Date.parse(cohort.endsOn) + DAY;
	const elapsed = Math.max(0, Math.min(1, (now.getTime() - start) / Math.max(DAY, end - start)));
	// Grouped once: a cohort of thousands must not scan every list once per member.
	const profilesBy = groupByUser(profiles);
	const eventsBy = groupByUser(events);
	const typingBy = groupByUser(typing);
	const rows: GridRow[] = members.map(({ e, u }) => {
		const mine = profilesBy.get(u.id) ?? [];
		const final = mine.find((p) => p.status === 'final');
		const scores = final ? Object.values(final.scores) : [];
		const counts = progress.get(u.id) ?? { done: new Map<string, number>(), lastOpenedAt: null };
		const summaries = courses.map((c) => {
			const done = counts.done.get(c.slug) ?? 0;
			const total = c.lessons.length;
			return {
				slug: c.slug,
				percent: total ? Math.round((done / total) * 100) : 0,
				completed: done === total,
				done,
				total
			};
		});
		const lessonsDone = summaries.reduce((n, s) => n + s.done, 0);
		const lessonsTotal = summaries.reduce((n, s) => n + s.total, 0);
		const allMine = eventsBy.get(u.id) ?? [];
		const myEvents = allMine.filter((x) => x.enrollmentId === e.id);
		const lastDecisionAt = myEvents.filter((x) => x.kind === 'decision').at(-1)?.at ?? null;
		const assessments = myEvents.filter((x) => x.kind === 'assessment');
		const failedSince = assessments.filter(
			(x) => x.passed === false && (!lastDecisionAt || x.at > lastDecisionAt)
		);
		const lastLesson = counts.lastOpenedAt;
		const lastEvent = allMine.filter((x) => x.actorId === u.id).at(-1)?.at ?? null;
		const lastActivity =
			[lastLesson, lastEvent]
				.filter((d): d is Date => !!d)
				.sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
		const best = (typingBy.get(u.id) ?? []).reduce<number | null>(
			(a, t) => (a === null || t.cpm > a ? t.cpm : a),
			null
		);
		const state = stateOf(e);
		const flags: RiskFlag[] = [];
		const finished = state.status === 'eliminated' || state.readyForCertification;
		if (!finished && lessonsTotal && elapsed > 0.2 && lessonsDone / lessonsTotal < elapsed - 0.25)
			flags.push('behind');
		if (failedSince.length) flags.push('failed');
		if (scores.some((s) => s === 1)) flags.push('low_profile');
		const sinceStart = now.getTime() - Math.max(start, e.enrolledAt.getTime());
		if (
			!finished &&
			(lastActivity
				? now.getTime() - lastActivity.getTime() > INACTIVE_DAYS * DAY
				: sinceStart > INACTIVE_DAYS * DAY)
		)
			flags.push('inactive');
		return {
			userId: u.id,
			displayName: u.displayName,
			login: u.login,
			employeeNo: u.employeeNo,
			enrollmentId: e.id,
			state,
			profile: final ? 'final' : mine.length ? 'draft' : 'none',
			profileScore: final ? scores.reduce((a, b) => a + b, 0) : null,
			lowItems: scores.filter((s) => s === 1).length,
			bestCpm: best,
			courses: summaries.map((s) => ({ slug: s.slug, percent: s.percent, completed: s.completed })),
			lessonsDone,
			lessonsTotal,
			assessments: assessments.map((x) => ({
				title: x.title,
				passed: x.passed,
				score: x.score,
				maxScore: x.maxScore
			})),
			lastActivity,
			flags
		};
	});
	return {
		role,
		rows,
		courses: courses.map((c) => ({ slug: c.slug, title: c.title, titleEn: c.titleEn })),
		profileMax: PROFILE_MAX
	};
}

export type CohortFigures = {
	trainees: number;
	stages: {
		slug: string;
		title: string;
		decided: number;
		passed: number;
		retrains: number;
		eliminated: number;
		passRate: number | null;
	}[];
	readyForCertification: number;
	eliminated: number;
	averageProfile: number | null;
	averageBestCpm: number | null;
	meetingTypingLine: number;
	averageAssessmentPercent: number | null;
};

/** Figures for the class summary: pass rate per stage (effective decisions, corrections applied),
 *  retrains, eliminations, average profile, typing and assessment scores. */
export async function cohortFigures(actor: Actor, cohortId: string): Promise<CohortFigures> {
	const { cohort } = await requireCohort(actor, cohortId, ['manager', 'teacher']);
	const grid = await cohortGrid(actor, cohortId);
	const program = programOf(cohort.programSlug);
	const enrollmentIds = grid.rows.map((r) => r.enrollmentId);
	const decisions = enrollmentIds.length
		? await db
				.select()
				.from(stageDecisions)
				.where(inArray(stageDecisions.enrollmentId, enrollmentIds))
		: [];
	const superseded = new Set(decisions.map((d) => d.supersedesId).filter(Boolean));
	const effective = decisions.filter((d) => !superseded.has(d.id));
	const avg = (xs: number[]) =>
		xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null;
	const events = enrollmentIds.length
		? await db
				.select()
				.from(dossierEvents)
				.where(
					and(
						inArray(dossierEvents.enrollmentId, enrollmentIds),
						eq(dossierEvents.kind, 'assessment')
					)
				)
		: [];
	return {
		trainees: grid.rows.length,
		stages: program.stages.map((s) => {
			const mine = effective.filter((d) => d.stageSlug === s.slug);
			const passed = mine.filter((d) => d.outcome === 'pass').length;
			const eliminated = mine.filter((d) => d.outcome === 'eliminate').length;
			const decided = passed + eliminated;
			return {
				slug: s.slug,
				title: s.title,
				decided,
				passed,
				retrains: mine.filter((d) => d.outcome === 'retrain').length,
				eliminated,
				passRate: decided ? Math.round((passed / decided) * 100) : null
			};
		}),
		readyForCertification: grid.rows.filter((r) => r.state.readyForCertification).length,
		eliminated: grid.rows.filter((r) => r.state.status === 'eliminated').length,
		averageProfile: avg(
			grid.rows.flatMap((r) => (r.profileScore === null ? [] : [r.profileScore]))
		),
		averageBestCpm: avg(grid.rows.flatMap((r) => (r.bestCpm === null ? [] : [r.bestCpm]))),
		meetingTypingLine: grid.rows.filter((r) => (r.bestCpm ?? 0) >= TYPING_LINE_CPM).length,
		averageAssessmentPercent: avg(
			events
				.filter((e) => e.score !== null && e.maxScore)
				.map((e) => (e.score! / e.maxScore!) * 100)
		)
	};
}

const dash = (v: number | null, unit = '') => (v === null ? '—' : `${v}${unit}`);

/** The class summary template (Chinese first; the teacher edits it freely). */
export function summaryTemplate(
	cohortName: string,
	f: CohortFigures,
	locale: 'zh-CN' | 'en'
): string {
	if (locale === 'en')
		return [
			`# Class summary: ${cohortName}`,
			'',
			'## Figures',
			'',
			`- Trainees: **${f.trainees}**; ready for certification: **${f.readyForCertification}**; eliminated: **${f.eliminated}**`,
			`- Average pre-training interview score: **${dash(f.averageProfile)}** / ${PROFILE_MAX}`,
			`- Average best typing speed: **${dash(f.averageBestCpm)}** chars/min; at or above ${TYPING_LINE_CPM}: **${f.meetingTypingLine}**`,
			`- Average assessment score: **${dash(f.averageAssessmentPercent, '%')}**`,
			'',
			'| Stage | Decided | Passed | Pass rate | Retrains | Eliminated |',
			'| --- | --- | --- | --- | --- | --- |',
			...f.stages.map(
				(s) =>
					`| ${s.title} | ${s.decided} | ${s.passed} | ${dash(s.passRate, '%')} | ${s.retrains} | ${s.eliminated} |`
			),
			'',
			'## What went well',
			'',
			'- ',
			'',
			'## What to improve',
			'',
			'- ',
			'',
			'## Notes for department managers (placement, strengths)',
			'',
			'- '
		].join('\n');
	return [
		`# 班级总结：${cohortName}`,
		'',
		'## 数据概览',
		'',
		`- 在班学员 **${f.trainees}** 人；待认证 **${f.readyForCertification}** 人；淘汰 **${f.eliminated}** 人`,
		`- 培训前沟通平均得分 **${dash(f.averageProfile)}** / ${PROFILE_MAX}`,
		`- 打字最好成绩平均 **${dash(f.averageBestCpm)}** 字/分钟，达到 ${TYPING_LINE_CPM} 字/分钟的 **${f.meetingTypingLine}** 人`,
		`- 各次考核平均得分率 **${dash(f.averageAssessmentPercent, '%')}**`,
		'',
		'| 阶段 | 已决定 | 通过 | 通过率 | 再培训 | 淘汰 |',
		'| --- | --- | --- | --- | --- | --- |',
		...f.stages.map(
			(s) =>
				`| ${s.title} | ${s.decided} | ${s.passed} | ${dash(s.passRate, '%')} | ${s.retrains} | ${s.eliminated} |`
		),
		'',
		'## 做得好的地方',
		'',
		'- ',
		'',
		'## 需要改进的地方',
		'',
		'- ',
		'',
		'## 给部门经理的建议（人员安排、个人特长）',
		'',
		'- '
	].join('\n');
}

function groupByUser<T extends { userId: string }>(list: T[]): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of list) {
		const bucket = map.get(item.userId);
		if (bucket) bucket.push(item);
		else map.set(item.userId, [item]);
	}
	return map;
}

import { fail } from '@sveltejs/kit';
import { recordDecision, EVIDENCE_KINDS } from '$lib/server/decisions/decisions';
import { programOf } from '$lib/server/decisions/program';
import { dossierView } from '$lib/server/dossier/view';
import { listCourses } from '$lib/server/content';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { requireCohortTrainee } from '../guard';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const { cohort, role } = await requireCohortTrainee(locals.user!, params.id, params.userId);
	const d = await dossierView(locals.user!, params.userId);
	const program = programOf(d.enrollment?.programSlug ?? cohort.programSlug);
	const stage = d.enrollment ? program.stages[d.enrollment.state.stageIndex] : null;
	const courses = listCourses();
	const latest = d.decisions.at(-1) ?? null;
	return {
		cohort: { id: cohort.id, name: cohort.name },
		userId: params.userId,
		canDecide: role === 'teacher' && d.access === 'teacher' && d.enrollment?.cohortId === cohort.id,
		person: d.person,
		enrollment: d.enrollment,
		stages: d.stages,
		decisions: d.decisions,
		latestId: latest?.id ?? null,
		evidence: d.timeline
			.filter((e) => (EVIDENCE_KINDS as readonly string[]).includes(e.kind))
			.reverse(),
		retrainOptions: stage
			? {
					maxRetrains: stage.maxRetrains,
					lessons: courses
						.filter((c) => stage.courses.includes(c.slug))
						.flatMap((c) =>
							c.lessons.map((l) => ({
								id: `${c.slug}/${l.slug}`,
								title: l.title,
								titleEn: l.titleEn,
								course: c.title,
								courseEn: c.titleEn
							}))
						),
					assessments: stage.assessments.map((a) => a.exam)
				}
			: null
	};
}) satisfies PageServerLoad;

export const actions = {
	decide: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		const outcome = String(f.get('outcome') ?? '') as 'pass' | 'retrain' | 'eliminate';
		try {
			await requireCohortTrainee(locals.user!, params.id, params.userId);
			const r = await recordDecision(
				locals.user!,
				params.userId,
				{
					outcome,
					reason: String(f.get('reason') ?? '').slice(0, 3000),
					evidence: f.getAll('evidence').map(String),
					retrainPlan:
						outcome === 'retrain'
							? {
									lessons: f.getAll('lessons').map(String),
									assessments: f.getAll('assessments').map(String),
									dueOn: String(f.get('dueOn') ?? '')
								}
							: null,
					expectedVersion: Number(f.get('expectedVersion')),
					supersedesId: String(f.get('supersedesId') ?? '') || null
				},
				getClientAddress()
			);
			return { decided: outcome, ready: r.state.readyForCertification };
		} catch (e) {
			if (e instanceof RuleViolation)
				return fail(400, { error: ruleMessage(e), conflict: e.code === 'cohorts_error_conflict' });
			throw e;
		}
	}
} satisfies Actions;

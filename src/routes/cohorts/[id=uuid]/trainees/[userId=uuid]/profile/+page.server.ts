import { fail, redirect } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import {
	finaliseProfile,
	getProfile,
	PROFILE_GROUPS,
	saveProfileDraft,
	type ProfileInput
} from '$lib/server/profiles/profiles';
import { PROFILE_SKILLS } from '$lib/skills';
import { requireCohortTrainee } from '../guard';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const { cohort, role } = await requireCohortTrainee(locals.user!, params.id, params.userId);
	const profile = await getProfile(locals.user!, params.userId);
	return {
		cohort: { id: cohort.id, name: cohort.name },
		userId: params.userId,
		editable: role === 'teacher',
		profile,
		groups: PROFILE_GROUPS
	};
}) satisfies PageServerLoad;

function readInput(f: FormData): ProfileInput {
	const scores: Record<string, number | null> = {};
	const itemNotes: Record<string, string> = {};
	for (const s of PROFILE_SKILLS) {
		const v = f.get(`score.${s}`);
		scores[s] = v === null || v === '' ? null : Number(v);
		itemNotes[s] = String(f.get(`note.${s}`) ?? '');
	}
	return {
		scores,
		itemNotes,
		overallNote: String(f.get('overallNote') ?? ''),
		correctionReason: String(f.get('correctionReason') ?? '') || null
	};
}

export const actions = {
	save: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		const input = readInput(f);
		try {
			await saveProfileDraft(locals.user!, params.userId, input, getClientAddress());
			return { saved: true };
		} catch (e) {
			if (e instanceof RuleViolation)
				return fail(400, { error: ruleMessage(e), field: e.field ?? '', input });
			throw e;
		}
	},
	finalise: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		const input = readInput(f);
		try {
			await finaliseProfile(locals.user!, params.userId, input, getClientAddress());
		} catch (e) {
			if (e instanceof RuleViolation)
				return fail(400, { error: ruleMessage(e), field: e.field ?? '', input });
			throw e;
		}
		redirect(303, `/cohorts/${params.id}/trainees/${params.userId}`);
	}
} satisfies Actions;

import { fail } from '@sveltejs/kit';
import { addTraineeNote } from '$lib/server/dossier/notes';
import { NOTE_KINDS, type NoteKind } from '$lib/server/dossier/schema';
import { dossierView } from '$lib/server/dossier/view';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { requireCohortTrainee } from './guard';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const { cohort, role } = await requireCohortTrainee(locals.user!, params.id, params.userId);
	const dossier = await dossierView(locals.user!, params.userId);
	const isTeacher =
		dossier.access === 'teacher' &&
		role === 'teacher' &&
		dossier.enrollment?.cohortId === cohort.id;
	return {
		cohort: { id: cohort.id, name: cohort.name },
		dossier,
		isTeacher,
		noteKinds: NOTE_KINDS
	};
}) satisfies PageServerLoad;

export const actions = {
	note: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		try {
			await requireCohortTrainee(locals.user!, params.id, params.userId);
			await addTraineeNote(
				locals.user!,
				params.userId,
				{
					kind: String(f.get('kind') ?? '') as NoteKind,
					body: String(f.get('body') ?? '').slice(0, 5000),
					sharedWithHr: f.get('sharedWithHr') === 'on'
				},
				getClientAddress()
			);
			return { noteSaved: true };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { noteError: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;

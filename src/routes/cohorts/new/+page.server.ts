import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { createCohort, listStaff } from '$lib/server/cohorts/cohorts';
import { loadCatalog } from '$lib/server/content';
import { failWithRule } from '$lib/server/forms';
import { cohortSchema } from '../cohort-form';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	form: await superValidate(zod4(cohortSchema()), { errors: false }),
	staff: await listStaff(locals.user!),
	programs: loadCatalog().programs.map((p) => ({
		slug: p.slug,
		title: p.title,
		titleEn: p.titleEn
	}))
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const form = await superValidate(request, zod4(cohortSchema()));
		if (!form.valid) return fail(400, { form });
		let id: string;
		try {
			({ id } = await createCohort(locals.user!, form.data, getClientAddress()));
		} catch (e) {
			return failWithRule(form, e);
		}
		redirect(303, `/cohorts/${id}`);
	}
} satisfies Actions;

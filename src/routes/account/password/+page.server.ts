import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { failWithRule } from '$lib/server/forms';
import { changeOwnPassword } from '$lib/server/people/accounts';
import { homeFor } from '$lib/server/people/roles';
import type { Actions, PageServerLoad } from './$types';

const schema = () =>
	z.object({
		current: z.string().min(1, m.error_required()).max(1024),
		next: z.string().min(1, m.error_required()).max(1024),
		confirm: z.string().min(1, m.error_required()).max(1024)
	});

export const load = (async ({ locals }) => ({
	form: await superValidate(zod4(schema())),
	forced: locals.user!.mustChangePassword
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const form = await superValidate(request, zod4(schema()));
		const blank = () => Object.assign(form.data, { current: '', next: '', confirm: '' });
		if (!form.valid) return fail(400, { form: (blank(), form) });
		if (form.data.next !== form.data.confirm) {
			blank();
			return setError(form, 'confirm', m.password_mismatch());
		}
		try {
			await changeOwnPassword(
				locals.user!,
				form.data.current,
				form.data.next,
				locals.session!.id,
				getClientAddress()
			);
		} catch (e) {
			blank();
			return failWithRule(form, e);
		}
		redirect(303, homeFor(locals.user!));
	}
} satisfies Actions;

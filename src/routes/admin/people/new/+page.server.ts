import { fail } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { m } from '$lib/paraglide/messages';
import { failWithRule } from '$lib/server/forms';
import { createAccount } from '$lib/server/people/accounts';
import { createAccountSchema } from '$lib/server/people/account-form';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => ({
	form: await superValidate(zod4(createAccountSchema()))
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const form = await superValidate(request, zod4(createAccountSchema()));
		if (!form.valid) return fail(400, { form });
		try {
			const created = await createAccount(
				locals.user!,
				{ ...form.data, password: form.data.password || null },
				getClientAddress()
			);
			const login = form.data.login;
			const text = created.oneTimePassword
				? `${m.people_created({ login })} ${m.people_one_time_password({ password: created.oneTimePassword })}`
				: m.people_created({ login });
			// A fresh form for the next person; the message carries the one-time password once.
			const next = await superValidate(zod4(createAccountSchema()));
			return message(next, { text, id: created.id });
		} catch (e) {
			form.data.password = '';
			return failWithRule(form, e);
		}
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { safeRedirect } from '$lib/safe-redirect';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { signIn } from '$lib/server/auth/sign-in';
import { config } from '$lib/server/config';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '$lib/server/demo/seed';
import { homeFor } from '$lib/server/people/roles';
import type { Actions, PageServerLoad } from './$types';

const schema = () =>
	z.object({
		login: z
			.string()
			.trim()
			.min(1, m.error_required())
			.max(100, m.error_too_long({ max: 100 })),
		password: z
			.string()
			.min(1, m.error_required())
			.max(1024, m.error_too_long({ max: 1024 }))
	});

export const load = (async ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('next'), homeFor(locals.user)));
	return {
		form: await superValidate(zod4(schema())),
		demo: config.demoData
			? {
					password: DEMO_PASSWORD,
					accounts: DEMO_ACCOUNTS.map((a) => ({ login: a.login, roles: a.roles }))
				}
			: null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await superValidate(request, zod4(schema()));
		if (!form.valid) return fail(400, { form });
		const result = await signIn(form.data.login, form.data.password, getClientAddress());
		form.data.password = '';
		if (!result.ok) {
			const text =
				result.reason === 'locked'
					? m.login_locked({ minutes: result.minutes })
					: m.login_invalid();
			return message(form, text, { status: result.reason === 'locked' ? 429 : 400 });
		}
		setSessionCookie(cookies, result.token, result.session.expiresAt, url);
		if (result.mustChangePassword) redirect(303, '/account/password');
		redirect(303, safeRedirect(url.searchParams.get('next'), '/'));
	}
} satisfies Actions;

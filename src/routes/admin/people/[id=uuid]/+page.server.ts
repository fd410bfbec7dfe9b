import { error, fail } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { m } from '$lib/paraglide/messages';
import { failWithRule, ruleMessage } from '$lib/server/forms';
import {
	getAccount,
	resetPassword,
	setActive,
	setRoles,
	updateProfile
} from '$lib/server/people/accounts';
import { profileSchema, rolesSchema } from '$lib/server/people/account-form';
import { RuleViolation } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const person = await getAccount(locals.user!, params.id);
	if (!person) error(404, m.error_not_found());
	const profile = {
		displayName: person.displayName,
		employeeNo: person.employeeNo ?? '',
		email: person.email ?? '',
		phone: person.phone ?? ''
	};
	return {
		person,
		isSelf: person.id === locals.user!.id,
		profileForm: await superValidate(profile, zod4(profileSchema()), {
			id: 'profile',
			errors: false
		}),
		rolesForm: await superValidate({ roles: person.roles }, zod4(rolesSchema()), {
			id: 'roles',
			errors: false
		})
	};
}) satisfies PageServerLoad;

export const actions = {
	profile: async ({ request, locals, params, getClientAddress }) => {
		const form = await superValidate(request, zod4(profileSchema()), { id: 'profile' });
		if (!form.valid) return fail(400, { profileForm: form });
		try {
			await updateProfile(locals.user!, params.id, form.data, getClientAddress());
		} catch (e) {
			return failWithRule(form, e);
		}
		return message(form, m.people_profile_saved());
	},
	roles: async ({ request, locals, params, getClientAddress }) => {
		const form = await superValidate(request, zod4(rolesSchema()), { id: 'roles' });
		if (!form.valid) return fail(400, { rolesForm: form });
		try {
			await setRoles(locals.user!, params.id, form.data.roles, getClientAddress());
		} catch (e) {
			return failWithRule(form, e);
		}
		return message(form, m.people_roles_saved());
	},
	deactivate: ({ locals, params, getClientAddress }) =>
		changeStatus(locals.user!, params.id, false, getClientAddress()),
	activate: ({ locals, params, getClientAddress }) =>
		changeStatus(locals.user!, params.id, true, getClientAddress()),
	resetPassword: async ({ locals, params, getClientAddress }) => {
		const password = await resetPassword(locals.user!, params.id, getClientAddress());
		return { notice: m.people_reset_done({ password }) };
	}
} satisfies Actions;

async function changeStatus(
	actor: App.Locals['user'] & object,
	id: string,
	active: boolean,
	ip: string
) {
	try {
		await setActive(actor, id, active, ip);
	} catch (e) {
		if (e instanceof RuleViolation) return fail(400, { statusError: ruleMessage(e) });
		throw e;
	}
	return { notice: active ? m.people_activated() : m.people_deactivated() };
}

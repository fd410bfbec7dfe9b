import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/server/people/roles';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	redirect(303, locals.user ? homeFor(locals.user) : '/login');
}) satisfies PageServerLoad;

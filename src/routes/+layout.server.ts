import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = locals.user;
	return {
		user: user && {
			id: user.id,
			displayName: user.displayName,
			login: user.login,
			roles: user.roles
		}
	};
}) satisfies LayoutServerLoad;

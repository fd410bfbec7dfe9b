export const ROLES = ['trainee', 'teacher', 'examiner', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person as every domain function receives it. */
export type Actor = { id: string; login: string; displayName: string; roles: Role[] };

export function isRole(value: string): value is Role {
	return (ROLES as readonly string[]).includes(value);
}

export function hasRole(actor: Pick<Actor, 'roles'> | null | undefined, ...roles: Role[]): boolean {
	return !!actor && actor.roles.some((r) => roles.includes(r));
}

// A person holding several roles lands on the home of the first one in this order: the
// daily work of a teacher or examiner matters more to them than their own trainee view.
const HOME_ORDER: Role[] = ['teacher', 'examiner', 'hr', 'admin', 'trainee'];
export const ROLE_HOME: Record<Role, string> = {
	trainee: '/learn',
	teacher: '/cohorts',
	examiner: '/grading',
	hr: '/records',
	admin: '/admin/people'
};

export function homeFor(actor: Pick<Actor, 'roles'>): string {
	const role = HOME_ORDER.find((r) => actor.roles.includes(r));
	return role ? ROLE_HOME[role] : '/account';
}

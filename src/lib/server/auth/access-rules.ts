// Who may use each route. Deny by default: a route that is not in this table is refused, and a
// test fails when a route under src/routes is missing from it. Actions and endpoints check again
// through the domain functions they call (the acting person's role and the object).
import type { Role } from '../people/roles';

export type Access = 'public' | 'signed-in' | readonly Role[];

export const ROUTE_ACCESS = {
	'/': 'public',
	'/login': 'public',
	'/language': 'public',
	'/logout': 'signed-in',
	'/account': 'signed-in',
	'/account/password': 'signed-in',
	'/learn': ['trainee'],
	'/learn/search': ['trainee'],
	'/learn/[course=slug]': ['trainee'],
	'/learn/[course=slug]/[lesson=slug]': ['trainee'],
	'/learn/[course=slug]/[lesson=slug]/progress': ['trainee'],
	'/catalog': ['teacher', 'examiner', 'hr', 'admin'],
	'/catalog/search': ['teacher', 'examiner', 'hr', 'admin'],
	'/catalog/[course=slug]': ['teacher', 'examiner', 'hr', 'admin'],
	'/catalog/[course=slug]/[lesson=slug]': ['teacher', 'examiner', 'hr', 'admin'],
	'/cohorts': ['teacher'],
	'/grading': ['examiner', 'teacher'],
	'/records': ['hr'],
	'/admin/people': ['admin'],
	'/admin/people/new': ['admin'],
	'/admin/people/[id=uuid]': ['admin'],
	'/admin/audit': ['admin']
} as const satisfies Record<string, Access>;

export type RouteId = keyof typeof ROUTE_ACCESS;

export function accessFor(routeId: string): Access | null {
	return (ROUTE_ACCESS as Record<string, Access>)[routeId] ?? null;
}

export type AccessDecision = 'allow' | 'sign-in' | 'deny';

export function decideAccess(rule: Access | null, roles: readonly Role[] | null): AccessDecision {
	if (rule === null) return 'deny';
	if (rule === 'public') return 'allow';
	if (roles === null) return 'sign-in';
	if (rule === 'signed-in') return 'allow';
	return rule.some((r) => roles.includes(r)) ? 'allow' : 'deny';
}

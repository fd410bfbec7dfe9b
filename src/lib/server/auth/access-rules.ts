// Who may use each route. Deny by default: a route that is not in this table is refused, and a
// test fails when a route under src/routes is missing from it. Actions and endpoints check again
// through the domain functions they call (the acting person's role and the object).
import type { Role } from '../people/roles';

export type Access = 'public' | 'signed-in' | readonly Role[];

export const ROUTE_ACCESS = {
	'/': 'public',
	'/login': 'public',
	'/language': 'public',
	'/exam-client.[hash].js': 'public',
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
	'/cohorts': ['teacher', 'examiner', 'hr', 'admin'],
	'/cohorts/new': ['hr', 'admin'],
	'/cohorts/[id=uuid]': ['teacher', 'examiner', 'hr', 'admin'],
	'/cohorts/[id=uuid]/import': ['teacher', 'hr', 'admin'],
	'/cohorts/[id=uuid]/plan': ['teacher', 'hr', 'admin'],
	'/cohorts/[id=uuid]/trainees/[userId=uuid]': ['teacher', 'examiner', 'hr', 'admin'],
	'/cohorts/[id=uuid]/trainees/[userId=uuid]/profile': ['teacher', 'examiner', 'hr', 'admin'],
	'/cohorts/[id=uuid]/trainees/[userId=uuid]/decisions': ['teacher', 'examiner', 'hr', 'admin'],
	'/dossier/[userId=uuid]': ['teacher', 'examiner', 'hr', 'admin'],
	'/me/dossier': ['trainee'],
	'/typing': ['trainee'],
	'/grading': ['examiner', 'teacher'],
	'/grading/attempts/[id=uuid]': ['examiner', 'teacher'],
	'/grading/exams/[exam=slug]': ['examiner', 'teacher'],
	'/exams': ['trainee'],
	'/exams/[exam=slug]': ['trainee'],
	'/exams/[exam=slug]/start': ['trainee'],
	'/attempts/[id=uuid]': ['trainee'],
	'/attempts/[id=uuid]/responses': ['trainee'],
	'/attempts/[id=uuid]/submission': ['trainee'],
	'/attempts/[id=uuid]/review': ['trainee'],
	'/records': ['hr', 'admin'],
	'/records/[enrollmentId=uuid]': ['hr', 'admin'],
	'/records/export': ['hr', 'admin'],
	'/records/expiring': ['hr', 'admin'],
	'/records/dashboard': ['hr', 'admin'],
	'/certificates/[id=uuid]': ['trainee', 'hr', 'admin'],
	'/certificates/[id=uuid]/pdf': ['trainee', 'hr', 'admin'],
	'/me/certificates': ['trainee'],
	'/verify': 'public',
	'/admin/people': ['admin'],
	'/admin/people/new': ['admin'],
	'/admin/people/[id=uuid]': ['admin'],
	'/admin/audit': ['admin'],
	'/cases': ['trainee', 'teacher', 'examiner', 'hr', 'admin'],
	'/cases/[slug=slug]': ['trainee', 'teacher', 'examiner', 'hr', 'admin'],
	'/cases/[slug=slug]/audio': ['trainee', 'teacher', 'examiner', 'hr', 'admin'],
	'/case-analysis': ['trainee'],
	'/case-analysis/[id=uuid]': ['trainee'],
	'/grading/cases/[id=uuid]': ['examiner', 'teacher'],
	'/grading/cases/[id=uuid]/draft': ['examiner', 'teacher'],
	'/grading/calibration': ['teacher', 'admin'],
	'/mock-calls': ['trainee'],
	'/mock-calls/[id=uuid]': ['trainee'],
	'/mock-calls/[id=uuid]/session': ['trainee'],
	'/recordings/[id=uuid]': ['trainee'],
	'/recordings/[id=uuid]/chunks/[index]': ['trainee'],
	'/recordings/[id=uuid]/audio': ['trainee', 'examiner', 'teacher'],
	'/scenarios/[slug=slug]/beats/[beat=slug]': ['trainee', 'examiner', 'teacher', 'admin'],
	'/grading/mock-calls/[id=uuid]': ['examiner', 'teacher'],
	'/grading/mock-calls/[id=uuid]/live': ['examiner', 'teacher'],
	'/grading/mock-calls/[id=uuid]/live/status': ['examiner', 'teacher'],
	'/grading/mock-calls/[id=uuid]/live/draft': ['examiner', 'teacher'],
	'/grading/mock-calls/live': ['examiner', 'teacher']
} as const satisfies Record<string, Access>;

export type RouteId = keyof typeof ROUTE_ACCESS;

/** Routes whose POST handler checks the session, the role and the object within the statement
 *  that does the work, and otherwise runs the hooks' own checks (`auth/guard.ts`) itself: the
 *  hooks let their POSTs through unchecked. Only the autosave, which a whole cohort sends every
 *  few seconds during a test; its rule above still says who may use it. */
export const SESSION_CHECKED_BY_HANDLER: ReadonlySet<string> = new Set<RouteId>([
	'/attempts/[id=uuid]/responses'
]);

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

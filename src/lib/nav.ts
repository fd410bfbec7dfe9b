import { m } from '$lib/paraglide/messages';

type Role = 'trainee' | 'teacher' | 'examiner' | 'hr' | 'admin';

export type NavItem = { href: string; label: () => string; roles: Role[] };

export const NAV: NavItem[] = [
	{ href: '/learn', label: m.nav_learn, roles: ['trainee'] },
	{ href: '/exams', label: m.nav_exams, roles: ['trainee'] },
	{ href: '/mock-calls', label: m.nav_mock_calls, roles: ['trainee'] },
	{ href: '/me/dossier', label: m.nav_my_dossier, roles: ['trainee'] },
	{ href: '/typing', label: m.nav_typing, roles: ['trainee'] },
	{ href: '/me/certificates', label: m.records_my_certificates, roles: ['trainee'] },
	{ href: '/cohorts', label: m.nav_cohorts, roles: ['teacher', 'examiner', 'hr', 'admin'] },
	{ href: '/cases', label: m.nav_cases, roles: ['trainee', 'teacher', 'examiner', 'hr', 'admin'] },
	{ href: '/grading', label: m.nav_grading, roles: ['examiner', 'teacher'] },
	{ href: '/grading/calibration', label: m.nav_calibration, roles: ['teacher', 'admin'] },
	{ href: '/records', label: m.nav_records, roles: ['hr'] },
	{ href: '/catalog', label: m.nav_catalog, roles: ['teacher', 'examiner', 'hr', 'admin'] },
	{ href: '/admin/people', label: m.nav_people, roles: ['admin'] },
	{ href: '/admin/audit', label: m.nav_audit, roles: ['admin'] }
];

export const ROLE_LABEL: Record<Role, () => string> = {
	trainee: m.role_trainee,
	teacher: m.role_teacher,
	examiner: m.role_examiner,
	hr: m.role_hr,
	admin: m.role_admin
};

export function navFor(roles: readonly string[]): NavItem[] {
	return NAV.filter((item) => item.roles.some((r) => roles.includes(r)));
}

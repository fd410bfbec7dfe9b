import { isRole } from '$lib/server/people/roles';
import { listAccounts } from '$lib/server/people/accounts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load = (async ({ locals, url }) => {
	const query = url.searchParams.get('q')?.slice(0, 100) ?? '';
	const roleParam = url.searchParams.get('role') ?? '';
	const role = isRole(roleParam) ? roleParam : null;
	const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
	const { rows, total } = await listAccounts(locals.user!, {
		query,
		role,
		page,
		pageSize: PAGE_SIZE
	});
	return { rows, total, query, role, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}) satisfies PageServerLoad;

import { listAuditEntries, verifyChainAs } from '$lib/server/audit/queries';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
	return listAuditEntries(locals.user!, { page });
}) satisfies PageServerLoad;

export const actions = {
	verify: async ({ locals, getClientAddress }) => ({
		report: await verifyChainAs(locals.user!, getClientAddress())
	})
} satisfies Actions;

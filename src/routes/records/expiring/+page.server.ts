import { expiringSoon } from '$lib/server/certificates/certificates';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const days = Math.min(
		3650,
		Math.max(1, Number.parseInt(url.searchParams.get('days') ?? '90', 10) || 90)
	);
	return { days, rows: await expiringSoon(locals.user!, days) };
}) satisfies PageServerLoad;

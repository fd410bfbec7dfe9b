import { certificatesOf } from '$lib/server/certificates/certificates';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const rows = await certificatesOf(locals.user!, locals.user!.id);
	return { rows: rows.map(({ verificationCode: _c, ...r }) => r) };
}) satisfies PageServerLoad;

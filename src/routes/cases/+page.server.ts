import { listLibrary } from '$lib/server/cases/library';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const callType = url.searchParams.get('type');
	const skill = url.searchParams.get('skill');
	return { library: await listLibrary(locals.user!, { callType, skill }), callType, skill };
}) satisfies PageServerLoad;

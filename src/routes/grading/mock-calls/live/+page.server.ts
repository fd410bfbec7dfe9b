import { liveQueue } from '$lib/server/mock-calls/live';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, depends }) => {
	depends('app:live-queue');
	return { rows: await liveQueue(locals.user!) };
}) satisfies PageServerLoad;

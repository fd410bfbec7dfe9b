import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { gradingQueue, releaseOverview, releaseResults } from '$lib/server/attempts/grading';
import { liveQueue } from '$lib/server/mock-calls/live';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	queue: await gradingQueue(locals.user!),
	live: await liveQueue(locals.user!),
	releases: await releaseOverview(locals.user!)
})) satisfies PageServerLoad;

export const actions = {
	release: async ({ locals, request, getClientAddress }) => {
		const exam = (await request.formData()).get('exam');
		if (typeof exam !== 'string' || !/^[a-z0-9-]+$/.test(exam))
			return fail(400, { error: m.error_not_found() });
		const count = await releaseResults(locals.user!, exam, getClientAddress());
		return { notice: m.grading_released_n({ count }) };
	}
} satisfies Actions;

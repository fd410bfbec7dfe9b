import { searchLessons } from '$lib/server/content/index';
import type { PageServerLoad } from './$types';

export const load = (({ url }) => {
	const query = (url.searchParams.get('q') ?? '').slice(0, 50);
	return { query, hits: searchLessons(query) };
}) satisfies PageServerLoad;

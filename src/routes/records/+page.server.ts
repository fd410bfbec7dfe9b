import { listRecords, recordFilterOptions } from '$lib/server/certificates/records';
import type { PageServerLoad } from './$types';
import { filtersFrom } from './labels.server';

const PAGE_SIZE = 25;

export const load = (async ({ locals, url }) => {
	const filters = filtersFrom(url);
	const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
	const [list, options] = await Promise.all([
		listRecords(locals.user!, filters, page, PAGE_SIZE),
		recordFilterOptions(locals.user!)
	]);
	return { ...list, filters, options };
}) satisfies PageServerLoad;

import {
	certifiedPerMonth,
	cohortFigures,
	GROUP_SORTS,
	normaliseRange,
	overallFigures,
	stagePassRates,
	teacherFigures,
	type GroupSort
} from '$lib/server/certificates/dashboard';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

function sortFrom(url: URL, key: string, dir: string): { key: GroupSort; dir: 'asc' | 'desc' } {
	const k = url.searchParams.get(key);
	return {
		key: k && (GROUP_SORTS as readonly string[]).includes(k) ? (k as GroupSort) : 'name',
		dir: url.searchParams.get(dir) === 'desc' ? 'desc' : 'asc'
	};
}

export const load = (async ({ locals, url }) => {
	const actor = locals.user!;
	const range = normaliseRange({
		from: url.searchParams.get('from'),
		to: url.searchParams.get('to')
	});
	const cohortSort = sortFrom(url, 'sort', 'dir');
	const teacherSort = sortFrom(url, 'tsort', 'tdir');
	const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
	const [overall, months, stages, teachers, cohorts] = await Promise.all([
		overallFigures(actor, range),
		certifiedPerMonth(actor, range),
		stagePassRates(actor, range),
		teacherFigures(actor, range, teacherSort),
		cohortFigures(actor, range, cohortSort, page, PAGE_SIZE)
	]);
	return { range, overall, months, stages, teachers, cohorts, cohortSort, teacherSort };
}) satisfies PageServerLoad;

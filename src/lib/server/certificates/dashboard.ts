// HR's dashboard figures, all computed in SQL: certificates per month, the pass rate per stage
// (first decisions vs passes), retrain and elimination rates and the average days from
// enrollment to certification — overall, per cohort and per homeroom teacher.
//
// Definitions (the date range selects events by their own day, Asia/Shanghai):
// - a decision counts when it is effective: no later decision supersedes it;
// - "first decision" of a stage: the earliest effective decision of an enrollment at that stage;
//   the first-time pass rate is first decisions that were passes / first decisions;
// - retrain / elimination rate: enrollments with an effective retrain / elimination decision in
//   the range, divided by the enrollments with any effective decision in the range;
// - certified: certificates issued in the range (revoked ones included: they were issued);
// - days to certification: issue time minus enrollment time, averaged over those certificates.
import { sql, type SQL } from 'drizzle-orm';
import { loadCatalog } from '../content';
import { db } from '../db/client';
import { assertRole } from '../errors';
import type { Actor } from '../people/roles';
import { CERT_TIME_ZONE, localDay } from './certificates';

export type DashboardRange = { from?: string | null; to?: string | null };

export type MonthCount = { month: string; certified: number };

export type StageFigures = {
	stageSlug: string;
	stageIndex: number;
	title: string;
	titleEn: string;
	/** Enrollments whose first decision at this stage falls in the range. */
	firstDecisions: number;
	/** …of which were passes. */
	firstPasses: number;
	/** Enrollments passed at this stage (any decision in the range). */
	passes: number;
	/** firstPasses / firstDecisions, percent with one decimal; null without decisions. */
	firstPassRate: number | null;
};

export type GroupFigures = {
	id: string;
	name: string;
	/** Cohort rows: the homeroom teacher. */
	teacherName: string | null;
	/** Enrollments (trainees in the cohort; moved-out ones without a certificate left out). */
	trainees: number;
	/** Enrollments with an effective decision in the range. */
	decided: number;
	certified: number;
	firstDecisions: number;
	firstPasses: number;
	firstPassRate: number | null;
	retrained: number;
	retrainRate: number | null;
	eliminated: number;
	eliminationRate: number | null;
	avgDaysToCertification: number | null;
};

export const GROUP_SORTS = [
	'name',
	'trainees',
	'certified',
	'firstPassRate',
	'retrainRate',
	'eliminationRate',
	'avgDaysToCertification'
] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (d: string | null | undefined): string | null =>
	d && DAY.test(d) && !Number.isNaN(Date.parse(d)) ? d : null;

/** Normalised range: valid days only, swapped when reversed. */
export function normaliseRange(r: DashboardRange): { from: string | null; to: string | null } {
	let from = validDay(r.from);
	let to = validDay(r.to);
	if (from && to && from > to) [from, to] = [to, from];
	return { from, to };
}

const tz = sql.raw(`'${CERT_TIME_ZONE}'`);

/** `col` within the inclusive day range, written so an index on `col` can serve it. */
function inRange(col: SQL, r: { from: string | null; to: string | null }): SQL {
	const parts: SQL[] = [];
	if (r.from) parts.push(sql`${col} >= (${r.from}::date)::timestamp at time zone ${tz}`);
	if (r.to) parts.push(sql`${col} < (${r.to}::date + 1)::timestamp at time zone ${tz}`);
	return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Certificates issued per month: the months of the range (at most 36), or the last 12 months. */
export async function certifiedPerMonth(
	actor: Actor,
	range: DashboardRange = {},
	now = new Date()
): Promise<MonthCount[]> {
	assertRole(actor, 'hr', 'admin');
	const r = normaliseRange(range);
	const end = r.to ?? localDay(now);
	let start = r.from ?? null;
	const endMonth = `${end.slice(0, 7)}-01`;
	const earliest = new Date(`${endMonth}T00:00:00Z`);
	earliest.setUTCMonth(earliest.getUTCMonth() - (start ? 35 : 11));
	const floor = earliest.toISOString().slice(0, 10);
	if (!start || start < floor) start = floor;
	const res = await db.execute(sql`
		with months as (
			select generate_series(date_trunc('month', ${start}::date), date_trunc('month', ${end}::date), interval '1 month')::date as m
		), counts as (
			select date_trunc('month', c.issued_at at time zone ${tz})::date as m, count(*)::int as n
			from certificates c
			where ${inRange(sql`c.issued_at`, { from: r.from ?? start, to: end })}
			group by 1
		)
		select to_char(months.m, 'YYYY-MM') as month, coalesce(counts.n, 0)::int as certified
		from months left join counts on counts.m = months.m
		order by months.m`);
	return rowsOf<{ month: string; certified: number }>(res).map((x) => ({
		month: x.month,
		certified: num(x.certified)
	}));
}

/** Effective decisions (not superseded by a later correction) in the range, with `first`: no
 *  earlier effective decision of the same enrollment at the same stage. Range first, so a
 *  narrow range reads stage_decisions through its decided_at index. */
function effective(r: { from: string | null; to: string | null }): SQL {
	// Without a range every decision is read anyway: one pass with a window beats a probe per row.
	if (!r.from && !r.to)
		return sql`
	select d.id, d.seq, d.enrollment_id, d.stage_slug, d.stage_index, d.outcome, d.decided_at,
		row_number() over (partition by d.enrollment_id, d.stage_slug order by d.seq) = 1 as first
	from stage_decisions d
	where not exists (select 1 from stage_decisions s where s.supersedes_id = d.id)`;
	return sql`
	select d.id, d.seq, d.enrollment_id, d.stage_slug, d.stage_index, d.outcome, d.decided_at,
		not exists (
			select 1 from stage_decisions p
			where p.enrollment_id = d.enrollment_id and p.stage_slug = d.stage_slug and p.seq < d.seq
				and not exists (select 1 from stage_decisions ps where ps.supersedes_id = p.id)
		) as first
	from stage_decisions d
	where ${inRange(sql`d.decided_at`, r)} and not exists (select 1 from stage_decisions s where s.supersedes_id = d.id)`;
}

/** Pass rate per stage: first decisions vs passes. */
export async function stagePassRates(
	actor: Actor,
	range: DashboardRange = {}
): Promise<StageFigures[]> {
	assertRole(actor, 'hr', 'admin');
	const r = normaliseRange(range);
	const res = await db.execute(sql`
		with eff as (${effective(r)}),
		f as (
			select stage_slug, min(stage_index) as stage_index, count(*)::int as first_decisions, (count(*) filter (where outcome = 'pass'))::int as first_passes
			from eff where first group by stage_slug
		),
		p as (
			select stage_slug, count(distinct enrollment_id)::int as passes
			from eff where outcome = 'pass' group by stage_slug
		)
		select coalesce(f.stage_slug, p.stage_slug) as stage_slug, f.stage_index, coalesce(f.first_decisions, 0) as first_decisions,
			coalesce(f.first_passes, 0) as first_passes, coalesce(p.passes, 0) as passes,
			round(100.0 * f.first_passes / nullif(f.first_decisions, 0), 1)::float8 as first_pass_rate
		from f full join p on p.stage_slug = f.stage_slug
		order by f.stage_index nulls last, 1`);
	const titles = stageTitles();
	return rowsOf<Record<string, unknown>>(res).map((x) => {
		const slug = String(x.stage_slug);
		const t = titles.get(slug);
		return {
			stageSlug: slug,
			stageIndex: t?.index ?? num(x.stage_index),
			title: t?.title ?? slug,
			titleEn: t?.titleEn ?? slug,
			firstDecisions: num(x.first_decisions),
			firstPasses: num(x.first_passes),
			passes: num(x.passes),
			firstPassRate: numOrNull(x.first_pass_rate)
		};
	});
}

function stageTitles(): Map<string, { title: string; titleEn: string; index: number }> {
	const out = new Map<string, { title: string; titleEn: string; index: number }>();
	try {
		for (const p of loadCatalog().programs)
			p.stages.forEach(
				(s, index) =>
					out.has(s.slug) || out.set(s.slug, { title: s.title, titleEn: s.titleEn, index })
			);
	} catch {
		/* content unavailable: slugs are shown */
	}
	return out;
}

type GroupBy = 'all' | 'cohort' | 'teacher';

/** The per-enrollment figures, summed per group in one statement. */
async function groupFigures(
	by: GroupBy,
	range: DashboardRange,
	sort?: { key: GroupSort; dir: 'asc' | 'desc' },
	limit?: number,
	offset?: number
): Promise<GroupFigures[]> {
	const r = normaliseRange(range);
	const key =
		by === 'cohort' ? sql`c.id::text` : by === 'teacher' ? sql`c.teacher_id::text` : sql`'all'`;
	const name =
		by === 'cohort' ? sql`min(c.name)` : by === 'teacher' ? sql`min(t.display_name)` : sql`''`;
	const teacherName = by === 'cohort' ? sql`min(t.display_name)` : sql`null::text`;
	const order: Record<GroupSort, string> = {
		name: 'name',
		trainees: 'trainees',
		certified: 'certified',
		firstPassRate: 'first_pass_rate',
		retrainRate: 'retrain_rate',
		eliminationRate: 'elimination_rate',
		avgDaysToCertification: 'avg_days'
	};
	const orderBy = sort
		? sql.raw(
				`order by ${order[sort.key]} ${sort.dir === 'desc' ? 'desc' : 'asc'} nulls last, name asc, id`
			)
		: sql.raw('order by name, id');
	const page = limit ? sql`limit ${limit} offset ${offset ?? 0}` : sql``;
	const res = await db.execute(sql`
		with eff as (${effective(r)}),
		dec as (
			select enrollment_id, bool_or(outcome = 'retrain') as retrained, bool_or(outcome = 'eliminate') as eliminated,
				(count(*) filter (where first))::int as n, (count(*) filter (where first and outcome = 'pass'))::int as p
			from eff group by enrollment_id
		),
		cert as (
			select enrollment_id, issued_at from certificates where ${inRange(sql`issued_at`, r)}
		),
		g as (
			select ${key} as id, ${name} as name, ${teacherName} as teacher_name,
				count(*)::int as trainees,
				count(dec.enrollment_id)::int as decided,
				count(cert.enrollment_id)::int as certified,
				coalesce(sum(dec.n), 0)::int as first_decisions,
				coalesce(sum(dec.p), 0)::int as first_passes,
				(count(*) filter (where dec.retrained))::int as retrained,
				(count(*) filter (where dec.eliminated))::int as eliminated,
				round((avg(extract(epoch from cert.issued_at - e.enrolled_at)) / 86400)::numeric, 1)::float8 as avg_days
			from enrollments e
			join cohorts c on c.id = e.cohort_id
			join users t on t.id = c.teacher_id
			left join dec on dec.enrollment_id = e.id
			left join cert on cert.enrollment_id = e.id
			where (e.active or e.end_reason is distinct from 'moved' or cert.enrollment_id is not null)
			group by 1
		)
		select *,
			round(100.0 * first_passes / nullif(first_decisions, 0), 1)::float8 as first_pass_rate,
			round(100.0 * retrained / nullif(decided, 0), 1)::float8 as retrain_rate,
			round(100.0 * eliminated / nullif(decided, 0), 1)::float8 as elimination_rate
		from g
		${orderBy} ${page}`);
	return rowsOf<Record<string, unknown>>(res).map((x) => ({
		id: String(x.id),
		name: String(x.name ?? ''),
		teacherName:
			x.teacher_name === null || x.teacher_name === undefined ? null : String(x.teacher_name),
		trainees: num(x.trainees),
		decided: num(x.decided),
		certified: num(x.certified),
		firstDecisions: num(x.first_decisions),
		firstPasses: num(x.first_passes),
		firstPassRate: numOrNull(x.first_pass_rate),
		retrained: num(x.retrained),
		retrainRate: numOrNull(x.retrain_rate),
		eliminated: num(x.eliminated),
		eliminationRate: numOrNull(x.elimination_rate),
		avgDaysToCertification: numOrNull(x.avg_days)
	}));
}

const EMPTY: GroupFigures = {
	id: 'all',
	name: '',
	teacherName: null,
	trainees: 0,
	decided: 0,
	certified: 0,
	firstDecisions: 0,
	firstPasses: 0,
	firstPassRate: null,
	retrained: 0,
	retrainRate: null,
	eliminated: 0,
	eliminationRate: null,
	avgDaysToCertification: null
};

/** The figures across every cohort. */
export async function overallFigures(
	actor: Actor,
	range: DashboardRange = {}
): Promise<GroupFigures> {
	assertRole(actor, 'hr', 'admin');
	return (await groupFigures('all', range))[0] ?? EMPTY;
}

/** The figures per cohort, sorted and paginated in SQL. */
export async function cohortFigures(
	actor: Actor,
	range: DashboardRange = {},
	sort: { key: GroupSort; dir: 'asc' | 'desc' } = { key: 'name', dir: 'asc' },
	page = 1,
	pageSize = 50
) {
	assertRole(actor, 'hr', 'admin');
	const [{ total }] = rowsOf<{ total: number }>(
		await db.execute(sql`select count(distinct cohort_id)::int as total from enrollments`)
	);
	const pages = Math.max(1, Math.ceil(num(total) / pageSize));
	const p = Math.min(Math.max(1, page), pages);
	return {
		rows: await groupFigures('cohort', range, sort, pageSize, (p - 1) * pageSize),
		total: num(total),
		page: p,
		pages
	};
}

/** The figures per homeroom teacher (all their cohorts together). */
export async function teacherFigures(
	actor: Actor,
	range: DashboardRange = {},
	sort: { key: GroupSort; dir: 'asc' | 'desc' } = { key: 'name', dir: 'asc' }
): Promise<GroupFigures[]> {
	assertRole(actor, 'hr', 'admin');
	return groupFigures('teacher', range, sort);
}

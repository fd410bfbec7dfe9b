// A large organisation for performance work: 20,000 trainees in 500 cohorts (50 homeroom
// teachers), 200,000 graded attempts, stage decisions (hash-chained like the app writes them)
// and certificates for the certified. Bulk SQL (generate_series) and one precomputed password
// hash keep it to seconds. Usage: npm run db:seed-large [-- --trainees 20000 --cohorts 500]
import { sql } from 'drizzle-orm';
import { chainHash, GENESIS_HASH } from '../audit/log';
import { hashPassword } from '../auth/password';
import { db } from '../db/client';
import { flag, withDatabase } from './open';

const TRAINEES = Number(flag('trainees') ?? 20_000);
const COHORTS = Number(flag('cohorts') ?? 500);
const TEACHERS = 50;
const ATTEMPTS_PER_TRAINEE = 10;
const PROGRAM = 'onboarding';
const CODE = 'XLKF';
const STAGES = ['first-assessment', 'comprehensive-assessment', 'go-live'];
const EXAMS: [string, string, string][] = [
	['first-written', 'written', 'first-assessment'],
	['comprehensive-written', 'written', 'comprehensive-assessment'],
	['case-analysis', 'case_analysis', 'comprehensive-assessment'],
	['mock-call', 'mock_call', 'comprehensive-assessment'],
	['mock-golive', 'mock_golive', 'go-live']
];
const SURNAMES =
	'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
	'伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏飞辉建波宁浩亮雪琳晶欣悦宇晨阳博文思雨佳怡子涵梓轩一诺欣然梦琪';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

async function main() {
	const started = Date.now();
	const [{ n }] = rows<{ n: number }>(
		await db.execute(sql`select count(*)::int as n from users where login like 'bulk-%'`)
	);
	if (n > 0) {
		console.error('large seed data is already loaded (users bulk-*)');
		process.exitCode = 1;
		return;
	}
	const hash = await hashPassword('bulk-pass-2026');
	const step = (label: string) =>
		console.log(`${label.padEnd(28)} ${((Date.now() - started) / 1000).toFixed(1)} s`);

	await db.transaction(async (tx) => {
		await tx.execute(sql`
			insert into users (login, display_name, employee_no, password_hash)
			select 'bulk-teacher-' || i, ${'班主任'} || i, 'BT' || lpad(i::text, 4, '0'), ${hash} from generate_series(1, ${TEACHERS}) i`);
		await tx.execute(
			sql`insert into user_roles (user_id, role) select id, 'teacher' from users where login like 'bulk-teacher-%'`
		);
		await tx.execute(sql`
			insert into users (login, display_name, employee_no, password_hash)
			select 'bulk-' || i,
				substr(${SURNAMES}, 1 + (i * 7) % ${SURNAMES.length}, 1) || substr(${GIVEN}, 1 + (i * 13) % ${GIVEN.length}, 1) ||
					case when i % 3 = 0 then '' else substr(${GIVEN}, 1 + (i * 31 / 7) % ${GIVEN.length}, 1) end,
				'B' || lpad(i::text, 6, '0'), ${hash}
			from generate_series(1, ${TRAINEES}) i`);
		await tx.execute(
			sql`insert into user_roles (user_id, role) select id, 'trainee' from users where login ~ '^bulk-[0-9]+$'`
		);
		step('users');
		await tx.execute(sql`
			insert into cohorts (name, program_slug, starts_on, ends_on, teacher_id)
			select 'B' || lpad(c::text, 3, '0') || ' 期新员工培训班', ${PROGRAM},
				date '2024-01-08' + (c * 730 / ${COHORTS}) , date '2024-01-08' + (c * 730 / ${COHORTS}) + 35,
				(select id from users where login = 'bulk-teacher-' || (1 + c % ${TEACHERS}))
			from generate_series(1, ${COHORTS}) c`);
		// Outcome per trainee: i % 10 in 0..5 certified, 6 eliminated, 7..9 in training (stage by i % 3).
		await tx.execute(sql`
			insert into enrollments (cohort_id, user_id, program_slug, stage_index, stage_status, ready_for_certification, enrolled_at)
			select co.id, u.id, ${PROGRAM},
				case when t.i % 10 < 6 then 2 when t.i % 10 = 6 then t.i % 2 else t.i % 3 end,
				case when t.i % 10 < 6 then 'passed' when t.i % 10 = 6 then 'eliminated' else 'in_training' end,
				t.i % 10 < 6,
				co.starts_on::timestamptz + interval '9 hours'
			from generate_series(1, ${TRAINEES}) t(i)
			join users u on u.login = 'bulk-' || t.i
			join cohorts co on co.name = 'B' || lpad((1 + (t.i - 1) % ${COHORTS})::text, 3, '0') || ' 期新员工培训班'`);
		step('cohorts, enrollments');
		await tx.execute(sql`
			insert into attempts (user_id, enrollment_id, exam_slug, kind, stage_slug, round, attempt_no, state, content_hash, paper, key, item_ids,
				started_at, deadline_at, submitted_at, graded_at, released_at, score, max_score, percent, passed)
			select e.user_id, e.id, x.exam, x.kind, x.stage, 0, a.no, 'released', 'bulk', '{}'::jsonb, '{}'::jsonb, '{}'::text[],
				e.enrolled_at + (x.ord * 7 + a.no) * interval '1 day',
				e.enrolled_at + (x.ord * 7 + a.no) * interval '1 day' + interval '75 minutes',
				e.enrolled_at + (x.ord * 7 + a.no) * interval '1 day' + interval '60 minutes',
				e.enrolled_at + (x.ord * 7 + a.no) * interval '1 day' + interval '2 hours',
				e.enrolled_at + (x.ord * 7 + a.no) * interval '1 day' + interval '3 hours',
				s.pct, 100, s.pct, s.pct >= 60
			from enrollments e
			join users u on u.id = e.user_id and u.login ~ '^bulk-[0-9]+$'
			cross join (values ${sql.raw(EXAMS.map(([exam, kind, stage], ord) => `('${exam}', '${kind}', '${stage}', ${ord})`).join(', '))}) x(exam, kind, stage, ord)
			cross join generate_series(1, ${ATTEMPTS_PER_TRAINEE / EXAMS.length}) a(no)
			cross join lateral (select (45 + (abs(hashtext(e.id::text || x.exam || a.no)) % 55))::real as pct) s`);
		step('attempts');
	});

	// Decisions, chained in order after the existing ones.
	const enrolled = rows<{
		id: string;
		user_id: string;
		stage_index: number;
		stage_status: string;
		enrolled_at: string;
		teacher_id: string;
		i: number;
	}>(
		await db.execute(sql`
			select e.id, e.user_id, e.stage_index, e.stage_status, e.enrolled_at::text, c.teacher_id, substr(u.login, 6)::int as i
			from enrollments e join users u on u.id = e.user_id join cohorts c on c.id = e.cohort_id
			where u.login ~ '^bulk-[0-9]+$' order by substr(u.login, 6)::int`)
	);
	await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(727004)`);
		const [last] = rows<{ hash: string }>(
			await tx.execute(sql`select hash from stage_decisions order by seq desc limit 1`)
		);
		let prev = last?.hash ?? GENESIS_HASH;
		type Row = Record<string, unknown>;
		let batch: Row[] = [];
		const flush = async () => {
			if (!batch.length) return;
			await tx.execute(sql`
				insert into stage_decisions (enrollment_id, user_id, stage_slug, stage_index, outcome, reason, evidence, retrain_plan, supersedes_id,
					state_before, state_after, enrollment_version, decided_by, decided_at, prev_hash, hash)
				select enrollment_id, user_id, stage_slug, stage_index, outcome, reason, evidence, retrain_plan, supersedes_id,
					state_before, state_after, enrollment_version, decided_by, decided_at, prev_hash, hash
				from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as r(ord int, enrollment_id uuid, user_id uuid, stage_slug text, stage_index int, outcome text,
					reason text, evidence jsonb, retrain_plan jsonb, supersedes_id uuid, state_before jsonb, state_after jsonb, enrollment_version int,
					decided_by uuid, decided_at timestamptz, prev_hash text, hash text)
				order by ord`);
			batch = [];
		};
		let ord = 0;
		for (const e of enrolled) {
			const start = new Date(e.enrolled_at.replace(' ', 'T').replace(/\+00$/, 'Z')).getTime();
			const outcomes: ['pass' | 'retrain' | 'eliminate', number][] = [];
			const passedStages = e.stage_status === 'passed' ? 3 : e.stage_index;
			for (let s = 0; s < passedStages; s++) {
				if ((e.i + s) % 5 === 0) outcomes.push(['retrain', s]);
				outcomes.push(['pass', s]);
			}
			if (e.stage_status === 'eliminated') outcomes.push(['eliminate', e.stage_index]);
			let version = 0;
			let retrains = 0;
			for (const [outcome, s] of outcomes) {
				const last = s === STAGES.length - 1;
				const before = {
					stageIndex: s,
					status: 'in_training',
					retrains,
					readyForCertification: false
				};
				const after =
					outcome === 'retrain'
						? {
								stageIndex: s,
								status: 'in_training',
								retrains: retrains + 1,
								readyForCertification: false
							}
						: outcome === 'eliminate'
							? { ...before, status: 'eliminated' }
							: last
								? { ...before, status: 'passed', readyForCertification: true }
								: {
										stageIndex: s + 1,
										status: 'in_training',
										retrains: 0,
										readyForCertification: false
									};
				retrains = outcome === 'retrain' ? retrains + 1 : 0;
				const row = {
					enrollmentId: e.id,
					userId: e.user_id,
					stageSlug: STAGES[s],
					stageIndex: s,
					outcome,
					reason:
						outcome === 'pass'
							? '考核达标。'
							: outcome === 'retrain'
								? '个别项目未达标，安排再培训。'
								: '多次考核未达标。',
					evidence: [],
					retrainPlan: null,
					supersedesId: null,
					stateBefore: before,
					stateAfter: after,
					enrollmentVersion: version,
					decidedBy: e.teacher_id,
					decidedAt: new Date(start + (s * 12 + version + 5) * 864e5)
				};
				const hash = chainHash(prev, { ...row, decidedAt: row.decidedAt.toISOString() });
				batch.push({
					ord: ord++,
					enrollment_id: row.enrollmentId,
					user_id: row.userId,
					stage_slug: row.stageSlug,
					stage_index: row.stageIndex,
					outcome,
					reason: row.reason,
					evidence: [],
					retrain_plan: null,
					supersedes_id: null,
					state_before: before,
					state_after: after,
					enrollment_version: version,
					decided_by: row.decidedBy,
					decided_at: row.decidedAt.toISOString(),
					prev_hash: prev,
					hash
				});
				prev = hash;
				version++;
				if (batch.length >= 2000) await flush();
			}
		}
		await flush();
		await tx.execute(
			sql`update enrollments e set version = d.n from (select enrollment_id, count(*)::int n from stage_decisions group by enrollment_id) d where d.enrollment_id = e.id and e.version = 0 and e.program_slug = ${PROGRAM} and exists (select 1 from users u where u.id = e.user_id and u.login ~ '^bulk-[0-9]+$')`
		);
	});
	step('decisions (hash-chained)');

	await db.transaction(async (tx) => {
		// Certificates for the certified, numbered per year after any existing ones.
		await tx.execute(sql`
			with final as (
				select distinct on (d.enrollment_id) d.id as decision_id, d.enrollment_id, d.user_id, d.decided_at, d.decided_by, e.cohort_id
				from stage_decisions d join enrollments e on e.id = d.enrollment_id join users u on u.id = d.user_id
				where d.outcome = 'pass' and d.stage_index = 2 and u.login ~ '^bulk-[0-9]+$'
				order by d.enrollment_id, d.seq desc
			), numbered as (
				select f.*, extract(year from f.decided_at at time zone 'Asia/Shanghai')::int as yr,
					row_number() over (partition by extract(year from f.decided_at at time zone 'Asia/Shanghai') order by f.decided_at, f.enrollment_id) as n
				from final f
			)
			insert into certificates (number, verification_code, enrollment_id, user_id, cohort_id, decision_id, program_slug, program_code, program_title,
				program_title_en, content_version, issued_at, valid_until, issued_by)
			select ${CODE} || '-' || yr || '-' || lpad((n + coalesce((select last from certificate_counters where program_code = ${CODE} and year = yr), 0))::text, 6, '0'),
				translate(upper(substr(md5(random()::text || enrollment_id::text), 1, 16)), '0189', 'WXYZ'),
				enrollment_id, user_id, cohort_id, decision_id, ${PROGRAM}, ${CODE}, '新员工入职培训与上岗认证', 'New-hire onboarding and go-live certification',
				'bulk', decided_at, ((decided_at at time zone 'Asia/Shanghai')::date + interval '24 months' - interval '1 day')::date, decided_by
			from numbered`);
		await tx.execute(sql`
			insert into certificate_counters (program_code, year, last)
			select ${CODE}, split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int) from certificates where program_code = ${CODE} group by 2
			on conflict (program_code, year) do update set last = excluded.last`);
	});
	step('certificates');
	await db.execute(sql`analyze`);
	const counts = rows<Record<string, number>>(
		await db.execute(sql`select (select count(*)::int from users) users, (select count(*)::int from cohorts) cohorts, (select count(*)::int from enrollments) enrollments,
			(select count(*)::int from attempts) attempts, (select count(*)::int from stage_decisions) decisions, (select count(*)::int from certificates) certificates`)
	)[0];
	console.log(counts);
	step('done');
}

await withDatabase(main);

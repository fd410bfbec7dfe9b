// Exam-day benchmark seed (run with `npx tsx tests/bench/seed.ts --n 2000 --out seed.json`).
// Uses the app's own modules: the database client and migrations, the schema, the password
// hasher, the session token functions and the content catalogue read from disk. Creates one
// teacher, one HR user, one examiner, one cohort of N trainees enrolled at stage 1 with every
// lesson of stage 1 completed (so the first written test is open), and a session per person.
// Writes the tokens and ids the load generator needs as JSON.
//
// Target database: DATABASE_URL (PostgreSQL) or, when unset, the embedded PGlite under DATA_DIR.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hashPassword } from '../../src/lib/server/auth/password';
import { generateSessionToken, sessionIdFromToken } from '../../src/lib/server/auth/session';
import { sessions } from '../../src/lib/server/auth/schema';
import { cohortExaminers, cohorts, enrollments } from '../../src/lib/server/cohorts/schema';
import { config } from '../../src/lib/server/config';
import { buildCatalog, formatErrors } from '../../src/lib/server/content/catalog';
import { readContentDir } from '../../src/lib/server/content/disk';
import { closeDb, db, openDb } from '../../src/lib/server/db/client';
import { migrateDb } from '../../src/lib/server/db/migrate';
import { lessonProgress } from '../../src/lib/server/learning/schema';
import { userRoles, users } from '../../src/lib/server/people/schema';
import type { Role } from '../../src/lib/server/people/roles';

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const N = Number(arg('n', process.env.BENCH_N || '2000'));
const OUT = resolve(arg('out', 'tests/bench/results/seed.json'));
const BATCH = 500;
if (!Number.isInteger(N) || N < 1 || N > 100_000)
	throw new Error(`--n must be an integer in 1..100000, got ${N}`);

const t0 = performance.now();
const catalog = buildCatalog(readContentDir(resolve('content')));
// The app refuses to start on content with errors; say so before seeding for it.
if (catalog.errors.length) throw new Error(`content is not valid:\n${formatErrors(catalog)}`);
const program = catalog.programs.find((p) => p.slug === 'onboarding') ?? catalog.programs[0];
if (!program) throw new Error('no program in content/programs');
const stage = program.stages[0];
const exam = stage.assessments.find((a) => a.kind === 'written');
if (!exam) throw new Error(`stage ${stage.slug} has no written assessment`);
const stageLessons = catalog.courses
	.filter((c) => stage.courses.includes(c.slug))
	.flatMap((c) => c.lessons);

if (config.databaseUrl) await openDb({ kind: 'postgres', url: config.databaseUrl, max: 4 });
else await openDb({ kind: 'pglite', dataDir: join(config.dataDir, 'pglite') });

async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
	for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

try {
	await migrateDb();
	// One argon2 hash for everybody: the bench never signs in through the password form.
	const passwordHash = await hashPassword('bench-pass-2026');
	const now = new Date();
	const day = 24 * 60 * 60 * 1000;
	const iso = (d: Date) => d.toISOString().slice(0, 10);
	const run = Date.now().toString(36);

	const staff: { key: 'teacher' | 'hr' | 'examiner'; roles: Role[] }[] = [
		{ key: 'teacher', roles: ['teacher'] },
		{ key: 'hr', roles: ['hr'] },
		{ key: 'examiner', roles: ['examiner'] }
	];
	const staffIds: Record<string, string> = {};
	for (const s of staff) {
		const [u] = await db
			.insert(users)
			.values({ login: `bench-${s.key}-${run}`, displayName: `压测${s.key}`, passwordHash })
			.returning({ id: users.id });
		await db.insert(userRoles).values(s.roles.map((role) => ({ userId: u.id, role })));
		staffIds[s.key] = u.id;
	}

	const [cohort] = await db
		.insert(cohorts)
		.values({
			name: `压测班 ${run}（${N} 人）`,
			programSlug: program.slug,
			startsOn: iso(new Date(now.getTime() - 20 * day)),
			endsOn: iso(new Date(now.getTime() + 30 * day)),
			teacherId: staffIds.teacher,
			createdBy: staffIds.hr
		})
		.returning({ id: cohorts.id });
	await db.insert(cohortExaminers).values({ cohortId: cohort.id, userId: staffIds.examiner });

	const traineeRows = Array.from({ length: N }, (_, i) => ({
		login: `bench-${run}-${String(i).padStart(5, '0')}`,
		displayName: `学员${String(i).padStart(5, '0')}`,
		employeeNo: `B${run}${String(i).padStart(5, '0')}`,
		passwordHash
	}));
	const trainees: { id: string; login: string }[] = [];
	await inBatches(traineeRows, async (batch) => {
		trainees.push(
			...(await db.insert(users).values(batch).returning({ id: users.id, login: users.login }))
		);
	});
	await inBatches(trainees, (b) =>
		db.insert(userRoles).values(b.map((t) => ({ userId: t.id, role: 'trainee' as const })))
	);
	await inBatches(trainees, (b) =>
		db.insert(enrollments).values(
			b.map((t) => ({
				cohortId: cohort.id,
				userId: t.id,
				programSlug: program.slug,
				active: true,
				stageIndex: 0,
				stageStatus: 'in_training',
				enrolledAt: new Date(now.getTime() - 20 * day)
			}))
		)
	);
	const progressRows = trainees.flatMap((t) =>
		stageLessons.map((l) => ({
			userId: t.id,
			courseSlug: l.courseSlug,
			lessonSlug: l.slug,
			firstOpenedAt: new Date(now.getTime() - 10 * day),
			lastOpenedAt: new Date(now.getTime() - day),
			completedAt: new Date(now.getTime() - day),
			secondsSpent: l.estimatedMinutes * 60,
			completedHash: l.hash
		}))
	);
	await inBatches(progressRows, (b) => db.insert(lessonProgress).values(b));

	// Sessions as createSession makes them (token in the cookie, its SHA-256 in the table).
	const expiresAt = new Date(
		now.getTime() + Math.min(config.session.idleMs, config.session.absoluteMs)
	);
	const people = [
		...Object.entries(staffIds).map(([key, id]) => ({ key, id })),
		...trainees.map((t) => ({ key: t.login, id: t.id }))
	];
	const tokens = new Map<string, string>();
	const sessionRows = people.map((p) => {
		const token = generateSessionToken();
		tokens.set(p.id, token);
		return { id: sessionIdFromToken(token), userId: p.id, createdAt: now, expiresAt };
	});
	await inBatches(sessionRows, (b) => db.insert(sessions).values(b));

	const out = {
		createdAt: now.toISOString(),
		examSlug: exam.exam,
		stageSlug: stage.slug,
		cohortId: cohort.id,
		lessonsPerTrainee: stageLessons.length,
		teacher: { id: staffIds.teacher, token: tokens.get(staffIds.teacher) },
		hr: { id: staffIds.hr, token: tokens.get(staffIds.hr) },
		examiner: { id: staffIds.examiner, token: tokens.get(staffIds.examiner) },
		trainees: trainees.map((t) => ({ id: t.id, login: t.login, token: tokens.get(t.id) }))
	};
	writeFileSync(OUT, JSON.stringify(out));
	console.log(
		`seeded ${N} trainees (+teacher, HR, examiner), cohort ${cohort.id}, ${progressRows.length} lesson rows, ${sessionRows.length} sessions in ${Math.round(performance.now() - t0)} ms → ${OUT}`
	);
} finally {
	await closeDb();
}

// `npm test`: every suite, in the order a failure is cheapest to find.
//   1. i18n compile + svelte-kit sync
//   2. Vitest on embedded PGlite
//   3. the same Vitest suite on a PostgreSQL server (started here when the binaries exist;
//      CI installs them; a machine without them says so and skips only this step)
//   4. production build, then Playwright against it (PGlite, then PostgreSQL when available)
import { spawnSync } from 'node:child_process';
import { findPostgresBin, startPostgres } from './postgres-server.mjs';

const started = Date.now();
const results = [];

function step(name, cmd, args, env = {}) {
	const t0 = Date.now();
	console.log(`\n▶ ${name}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - t0) / 1000).toFixed(1);
	results.push({ name, ok: r.status === 0, seconds });
	if (r.status !== 0) {
		summary();
		console.error(`\n✗ ${name} failed (exit ${r.status ?? r.signal})`);
		process.exit(1);
	}
}

function summary() {
	console.log('\n── test summary ──');
	for (const r of results) console.log(`${r.ok ? '✓' : '✗'} ${r.name} (${r.seconds} s)`);
	console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const npx = 'npx';
step('i18n + sync', 'sh', ['-c', 'node tests/support/compile-i18n.mjs && svelte-kit sync']);
step('content check', 'npm', ['run', '--silent', 'content:check']);
step('unit + integration (PGlite)', npx, ['vitest', 'run']);

const havePostgres = findPostgresBin() !== null;
let pg = null;
if (havePostgres) {
	pg = await startPostgres({ fsync: false });
	process.on('exit', () => pg?.stop());
	step('unit + integration (PostgreSQL)', npx, ['vitest', 'run'], { TEST_DATABASE_URL: pg.url });
} else {
	console.log(
		'\n! PostgreSQL server binaries not found: the PostgreSQL run is skipped (apt-get install postgresql).'
	);
}

step('build', 'npm', ['run', '--silent', 'build']);
step('browser (Playwright, PGlite)', npx, ['playwright', 'test']);
if (pg) {
	const db = `e2e_${Date.now()}`;
	spawnSync('sh', ['-c', `psql "${pg.url}" -qc "create database ${db}"`], { stdio: 'inherit' });
	step('browser (Playwright, PostgreSQL)', npx, ['playwright', 'test'], {
		E2E_DATABASE_URL: pg.url.replace(/\/postgres$/, `/${db}`)
	});
	pg.stop();
	pg = null;
}
summary();

// Starts a throwaway PostgreSQL server for the test run (Debian's postgresql package), on a
// free loopback port, as the `postgres` user when running as root (the server refuses root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function findPostgresBin() {
	const candidates = [];
	if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
	const debian = '/usr/lib/postgresql';
	if (existsSync(debian))
		for (const v of readdirSync(debian).sort((a, b) => Number(b) - Number(a)))
			candidates.push(join(debian, v, 'bin'));
	for (const dir of candidates)
		if (existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
	const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
	if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
	return null;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

const isRoot = process.getuid?.() === 0;

function run(bin, args) {
	if (isRoot)
		return execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
	return execFileSync(bin, args, { stdio: 'pipe' });
}

/** @returns {Promise<{ url: string, stop: () => void }>} */
export async function startPostgres({ fsync = true } = {}) {
	const bin = findPostgresBin();
	if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
	const dir = mkdtempSync(join(tmpdir(), 'pgtest-'));
	chmodSync(dir, 0o777);
	const data = join(dir, 'data');
	if (isRoot) execFileSync('chown', ['postgres', dir]);
	run(join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C.UTF-8'
	]);
	const port = await freePort();
	const opts =
		`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB` +
		(fsync ? '' : ' -c fsync=off -c synchronous_commit=off');
	run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
	const stop = () => {
		try {
			run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
		} catch {
			/* already stopped */
		}
		rmSync(dir, { recursive: true, force: true });
	};
	return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, bin };
}

// Floor servers for the exam-day benchmark, each in its own process on 127.0.0.1:
//   node tests/bench/floors.mjs hello <port>                F2: raw node:http hello world
//   node tests/bench/floors.mjs upsert <port> <databaseUrl> F3: node:http + one durable postgres.js
//       upsert per request into a table shaped like `responses` (same pool size as the app: 10)
// Prints "ready" when listening.
import http from 'node:http';
import postgres from 'postgres';

const [kind, portArg, url] = process.argv.slice(2);
const port = Number(portArg);

export const FLOOR_TABLE_SQL = `
create table if not exists floor_responses (
	attempt_id uuid not null,
	item_id text not null,
	value jsonb not null,
	seq integer not null,
	saved_at timestamp(3) with time zone not null default now(),
	primary key (attempt_id, item_id)
)`;

let handler;
if (kind === 'hello') {
	handler = (req, res) => {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('hello world');
	};
} else if (kind === 'upsert') {
	const sql = postgres(url, { max: Number(process.env.FLOOR_POOL || 10), onnotice: () => {} });
	await sql.unsafe(FLOOR_TABLE_SQL);
	const match = /^\/attempts\/([0-9a-f-]{36})\/responses$/;
	handler = (req, res) => {
		const m = match.exec(req.url);
		if (req.method !== 'POST' || !m) {
			res.writeHead(404).end();
			return;
		}
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			try {
				const body = JSON.parse(Buffer.concat(chunks).toString());
				const rows = await sql`
					insert into floor_responses (attempt_id, item_id, value, seq)
					values (${m[1]}::uuid, ${body.itemId}, ${JSON.stringify(body.value ?? null)}::jsonb, ${body.seq})
					on conflict (attempt_id, item_id) do update
						set value = excluded.value, seq = excluded.seq, saved_at = now()
						where floor_responses.seq < excluded.seq
					returning seq, saved_at`;
				const out = rows.length
					? { status: 'saved', seq: rows[0].seq, savedAt: rows[0].saved_at }
					: { status: 'stale' };
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ ...out, serverNow: new Date().toISOString() }));
			} catch (e) {
				res.writeHead(500, { 'content-type': 'text/plain' });
				res.end(String(e?.message ?? e));
			}
		});
	};
} else {
	console.error('usage: floors.mjs hello|upsert <port> [databaseUrl]');
	process.exit(2);
}

const server = http.createServer(handler);
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));

// A separate app (its own routes and types), built by the bench, not checked as part of this one.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-nocheck
import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import postgres from 'postgres';

// The same pool size and statement as F3 (tests/bench/floors.mjs).
const sql = postgres(env.DATABASE_URL, { max: 10, onnotice: () => {} });

export async function POST({ params, request }) {
	const body = await request.json();
	const rows = await sql`
		insert into floor_responses (attempt_id, item_id, value, seq)
		values (${params.id}::uuid, ${body.itemId}, ${JSON.stringify(body.value ?? null)}::jsonb, ${body.seq})
		on conflict (attempt_id, item_id) do update
			set value = excluded.value, seq = excluded.seq, saved_at = now()
			where floor_responses.seq < excluded.seq
		returning seq, saved_at`;
	const out = rows.length
		? { status: 'saved', seq: rows[0].seq, savedAt: rows[0].saved_at }
		: { status: 'stale' };
	return json({ ...out, serverNow: new Date().toISOString() });
}

import { json } from '@sveltejs/kit';
import {
	saveResponse,
	saveResponseInSession,
	type SaveResult
} from '$lib/server/attempts/attempts';
import { authenticate, refuseAccess } from '$lib/server/auth/guard';
import { SESSION_COOKIE, sessionIdFromToken } from '$lib/server/auth/session';
import type { RequestHandler } from './$types';

type Answer = { itemId: string; value: unknown; seq: number };

async function readAnswer(request: Request): Promise<Answer | null> {
	try {
		const body = await request.json();
		if (typeof body?.itemId !== 'string' || typeof body.seq !== 'number') return null;
		return { itemId: body.itemId, value: body.value ?? null, seq: body.seq };
	} catch {
		return null;
	}
}

const reply = (result: SaveResult | { status: 'invalid' }) =>
	json(
		{ ...result, serverNow: new Date().toISOString() },
		{
			status:
				result.status === 'saved' || result.status === 'stale'
					? 200
					: result.status === 'closed'
						? 409
						: 400,
			headers: { 'cache-control': 'private, no-store' }
		}
	);

// The autosave endpoint: small, and on the hot path of exam day. The answer is acknowledged
// only after the database has committed it. The hooks do not check this route's session
// (SESSION_CHECKED_BY_HANDLER): the statement that writes the answer, together with the others
// that arrive at the same time, checks each one's session, trainee and attempt; when it writes
// nothing, the hooks' checks run here, then the ordinary save, which writes (a session due for
// renewal) or says why not.
export const POST: RequestHandler = async (event) => {
	const { params, request, cookies, locals } = event;
	const answer = await readAnswer(request);
	const token = cookies.get(SESSION_COOKIE);
	if (answer && token) {
		const saved = await saveResponseInSession(
			sessionIdFromToken(token),
			params.id,
			answer.itemId,
			answer.value,
			answer.seq
		);
		if (saved) return reply(saved);
	}
	await authenticate(event);
	const refusal = await refuseAccess(event);
	if (refusal) return refusal;
	if (!answer) return reply({ status: 'invalid' });
	return reply(
		await saveResponse(locals.user!, params.id, answer.itemId, answer.value, answer.seq)
	);
};

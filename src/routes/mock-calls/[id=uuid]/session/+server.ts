import { json } from '@sveltejs/kit';
import { saveResponse } from '$lib/server/attempts/attempts';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import {
	CALL_EVENTS,
	recordCallEvent,
	submitMock,
	toggleBreak,
	type CallEventType
} from '$lib/server/mock-calls/attempts';
import { cleanTicket } from '$lib/server/mock-calls/measures';
import { createRecording } from '$lib/server/recordings/recordings';
import type { RequestHandler } from './$types';

// The trainee's running call or shift: call events stamped by the server's clock, the ticket
// form (sequence-ordered autosave), breaks, a new recording for a call, and hand-in.
export const POST: RequestHandler = async ({ locals, params, request }) => {
	let body: Record<string, unknown>;
	try {
		body = await request.json();
	} catch {
		return json({ error: 'invalid' }, { status: 400 });
	}
	const call = Number(body.call);
	try {
		switch (body.type) {
			case 'event':
				if (!CALL_EVENTS.includes(body.event as CallEventType)) break;
				return json({
					events: await recordCallEvent(locals.user!, params.id, call, body.event as CallEventType)
				});
			case 'ticket': {
				const r = await saveResponse(
					locals.user!,
					params.id,
					`c${call}.ticket`,
					cleanTicket(body.value),
					Number(body.seq)
				);
				return json(r, {
					status:
						r.status === 'saved' || r.status === 'stale' ? 200 : r.status === 'closed' ? 409 : 400
				});
			}
			case 'break':
				return json({ breaks: await toggleBreak(locals.user!, params.id, body.on === true) });
			case 'recording': {
				const rec = await createRecording(locals.user!, params.id, call);
				return json({ id: rec.id, segment: rec.segment });
			}
			case 'submit':
				await submitMock(locals.user!, params.id);
				return json({ submitted: true });
		}
		return json({ error: 'invalid' }, { status: 400 });
	} catch (e) {
		if (e instanceof RuleViolation)
			return json(
				{ error: ruleMessage(e), code: e.code },
				{ status: e.code === 'error_not_found' ? 404 : 400 }
			);
		throw e;
	}
};

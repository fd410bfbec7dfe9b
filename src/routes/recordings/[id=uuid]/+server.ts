import { json } from '@sveltejs/kit';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { finishRecording, recordingStatus } from '$lib/server/recordings/recordings';
import type { RequestHandler } from './$types';

// A recording in progress: which chunks the server holds (to resume), and finishing it.
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return json(await recordingStatus(locals.user!, params.id), {
			headers: { 'Cache-Control': 'no-store' }
		});
	} catch (e) {
		if (e instanceof RuleViolation)
			return json({ error: ruleMessage(e), code: e.code }, { status: 404 });
		throw e;
	}
};

export const POST: RequestHandler = async ({ locals, params, request }) => {
	let body: Record<string, unknown>;
	try {
		body = await request.json();
	} catch {
		return json({ error: 'invalid' }, { status: 400 });
	}
	try {
		const beats = Array.isArray(body.beats) ? (body.beats as { beatId: string; at: number }[]) : [];
		return json(await finishRecording(locals.user!, params.id, Number(body.count), beats));
	} catch (e) {
		if (e instanceof RuleViolation)
			return json(
				{ error: ruleMessage(e), code: e.code },
				{ status: e.code === 'error_not_found' ? 404 : 422 }
			);
		throw e;
	}
};

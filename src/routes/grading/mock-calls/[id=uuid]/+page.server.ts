import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import {
	mockGradingView,
	retryTranscription,
	saveTranscript
} from '$lib/server/mock-calls/grading';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	try {
		return { g: await mockGradingView(locals.user!, params.id) };
	} catch (e) {
		if (e instanceof RuleViolation) error(404, m.error_not_found());
		throw e;
	}
}) satisfies PageServerLoad;

export const actions = {
	// A typed transcript (坐席：… / 客户：… lines) or an uploaded WebVTT file for one recording.
	transcript: async ({ locals, request, getClientAddress }) => {
		const form = await request.formData();
		const recordingId = String(form.get('recording') ?? '');
		const file = form.get('file');
		let text = String(form.get('text') ?? '');
		let format: 'typed' | 'vtt' = 'typed';
		if (file instanceof File && file.size > 0) {
			if (file.size > 200_000)
				return fail(400, { recordingId, error: m.error_too_long({ max: 200000 }) });
			text = await file.text();
			format = 'vtt';
		} else if (text.trimStart().startsWith('WEBVTT')) format = 'vtt';
		return forRecording(recordingId, async () => {
			const turns = await saveTranscript(
				locals.user!,
				recordingId,
				text,
				format,
				getClientAddress()
			);
			return m.mc_transcript_saved({ count: turns });
		});
	},
	// A failed automatic transcription, tried again.
	retryTranscription: async ({ locals, request, getClientAddress }) => {
		const recordingId = String((await request.formData()).get('recording') ?? '');
		return forRecording(recordingId, async () => {
			await retryTranscription(locals.user!, recordingId, getClientAddress());
			return m.asr_retry_queued();
		});
	}
} satisfies Actions;

/** The outcome of an action on one recording, shown beside it: its notice, or why not. */
async function forRecording(recordingId: string, run: () => Promise<string>) {
	try {
		return { recordingId, notice: await run() };
	} catch (e) {
		if (e instanceof RuleViolation) return fail(400, { recordingId, error: ruleMessage(e) });
		throw e;
	}
}

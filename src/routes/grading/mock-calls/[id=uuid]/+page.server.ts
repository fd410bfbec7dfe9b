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
		try {
			const turns = await saveTranscript(
				locals.user!,
				recordingId,
				text,
				format,
				getClientAddress()
			);
			return { recordingId, notice: m.mc_transcript_saved({ count: turns }) };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { recordingId, error: ruleMessage(e) });
			throw e;
		}
	},
	// A failed automatic transcription, tried again.
	retryTranscription: async ({ locals, request, getClientAddress }) => {
		const recordingId = String((await request.formData()).get('recording') ?? '');
		try {
			await retryTranscription(locals.user!, recordingId, getClientAddress());
			return { recordingId, notice: m.asr_retry_queued() };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { recordingId, error: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;

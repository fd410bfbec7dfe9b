// Speech-to-text over the OpenAI audio API (`POST /v1/audio/transcriptions`), which OpenAI,
// faster-whisper-server / speaches, LocalAI and vLLM speak: one
// multipart request with the whole recording, `verbose_json` back with timed segments.
import type { TranscriptionErrorCode } from './schema';

export type AsrSegment = { start: number | null; end: number | null; text: string };

export type AsrRequest = {
	url: string;
	model: string;
	apiKey?: string;
	timeoutMs: number;
};

/** A failed request. `permanent`: trying again cannot help (the server refused the request). */
export class AsrError extends Error {
	constructor(
		public readonly code: TranscriptionErrorCode,
		message: string,
		public readonly permanent = false
	) {
		super(message);
	}
}

// Whisper writes Chinese in either script; a Simplified prompt steers it to Simplified, which
// the phrase checker's expressions are written in.
const PROMPT = '以下是普通话客服电话录音，坐席与客户的对话，使用简体中文。';

const snippet = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);

/** Transcribes one recording. `signal` stops it early (server shutdown). */
export async function transcribe(
	audio: Uint8Array,
	container: 'webm' | 'ogg',
	req: AsrRequest,
	signal?: AbortSignal
): Promise<AsrSegment[]> {
	const form = new FormData();
	form.append(
		'file',
		new Blob([audio as Uint8Array<ArrayBuffer>], { type: `audio/${container}` }),
		`recording.${container}`
	);
	form.append('model', req.model);
	form.append('language', 'zh');
	form.append('response_format', 'verbose_json');
	form.append('temperature', '0');
	form.append('prompt', PROMPT);
	const timeout = AbortSignal.timeout(req.timeoutMs);
	let res: Response;
	let body: string;
	try {
		res = await fetch(`${req.url}/v1/audio/transcriptions`, {
			method: 'POST',
			headers: req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {},
			body: form,
			signal: signal ? AbortSignal.any([timeout, signal]) : timeout
		});
		body = await res.text();
	} catch (e) {
		if (signal?.aborted) throw new AsrError('interrupted', 'stopped with the server');
		if (timeout.aborted)
			throw new AsrError('timeout', `no answer within ${Math.round(req.timeoutMs / 1000)} s`);
		const cause = (e as { cause?: { code?: string; message?: string } }).cause;
		throw new AsrError('network', cause?.code ?? cause?.message ?? (e as Error).message);
	}
	if (!res.ok) {
		const detail = `HTTP ${res.status}${body ? `: ${snippet(body)}` : ''}`;
		// Busy, overloaded or broken for now: try again later. Any other refusal (bad key, wrong
		// URL or model, file too large) stays a refusal until someone changes the configuration.
		const transient = res.status === 408 || res.status === 429 || res.status >= 500;
		throw new AsrError(transient ? 'http' : 'refused', detail, !transient);
	}
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		throw new AsrError('bad_response', `not JSON: ${snippet(body) || '(empty)'}`);
	}
	return segmentsOf(json);
}

/** The timed segments of a verbose_json answer (or its plain `text` when a server sends only
 *  that). Anything else is a bad response. */
export function segmentsOf(json: unknown): AsrSegment[] {
	const o = json as { segments?: unknown; text?: unknown } | null;
	if (o && typeof o === 'object' && Array.isArray(o.segments)) {
		const out: AsrSegment[] = [];
		for (const s of o.segments as Record<string, unknown>[]) {
			if (!s || typeof s !== 'object' || typeof s.text !== 'string')
				throw new AsrError('bad_response', 'a segment without text');
			const time = (v: unknown) =>
				typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
			out.push({ start: time(s.start), end: time(s.end), text: s.text });
		}
		return out;
	}
	if (o && typeof o === 'object' && typeof o.text === 'string')
		return [{ start: null, end: null, text: o.text }];
	throw new AsrError('bad_response', 'no segments or text in the answer');
}

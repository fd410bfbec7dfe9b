import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { SESSION_CHECKED_BY_HANDLER } from '$lib/server/auth/access-rules';
import { authenticate, refuseAccess } from '$lib/server/auth/guard';
import { compress } from '$lib/server/http/compress';
import { startApp } from '$lib/server/startup';

export const init: ServerInit = async () => {
	await startApp();
	// Without ORIGIN adapter-node takes the app's address to be https://<Host>, so a browser on
	// plain http has every form refused as cross-site: say so at start, not at the first sign-in.
	if (!dev && !process.env.ORIGIN && !process.env.PROTOCOL_HEADER)
		console.warn(
			'ORIGIN is not set: the app takes its address to be https://<Host header>, so over plain ' +
				'http every sign-in and form is refused as cross-site. Set ORIGIN to the address people ' +
				'open, e.g. ORIGIN=https://training.example (npm start sets http://localhost:PORT).'
		);
};

// SvelteKit refuses form posts from other sites; JSON and upload endpoints need the same, since a
// page elsewhere can send a body without a form content type. Browsers send Origin with every
// POST, so a mismatch is a request from another site. (Other clients send none.)
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const handleCrossSite: Handle = ({ event, resolve }) => {
	const origin = event.request.headers.get('origin');
	if (origin !== null && origin !== event.url.origin && UNSAFE_METHODS.has(event.request.method))
		return new Response(m.error_403(), {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	return resolve(event);
};

const handleLocale: Handle = ({ event, resolve }) => {
	// JSON endpoints (autosave, progress, upload chunks) show no text: skip the locale
	// middleware, which clones every request, on the busiest path of exam day.
	if (event.request.headers.get('content-type')?.startsWith('application/json'))
		return resolve(event);
	return paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});
};

// The autosave checks the session, the role and the attempt in the statement that writes the
// answer (a whole cohort saves every few seconds) and falls back to these same checks itself.
const checkedByHandler = (event: RequestEvent) =>
	event.request.method === 'POST' &&
	event.route.id !== null &&
	SESSION_CHECKED_BY_HANDLER.has(event.route.id);

// Who is asking, and may they use this route (auth/guard.ts).
const handleAuth: Handle = async ({ event, resolve }) => {
	await authenticate(event);
	return (await refuseAccess(event)) ?? resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'microphone=(self), camera=(), geolocation=()');
	// Pages and data of a signed-in person are not kept; content-hashed assets say so themselves.
	if (event.locals.user && !response.headers.get('Cache-Control')?.includes('immutable'))
		response.headers.set('Cache-Control', 'private, no-store');
	return compress(event.request, response);
};

const handleEveryRequest = sequence(handleHeaders, handleCrossSite, handleLocale, handleAuth);

// The autosave needs no locale and checks the session itself: of the four handles only the
// headers and the cross-site check apply. They are called directly, without `sequence`, whose
// per-handle wrapping (a copy of the event, an async context, a span) shows on a request this
// small: a few per cent of the server's CPU a save in paired bench runs.
const handleSessionChecked: Handle = ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	return handleHeaders({ event, resolve: (e) => handleCrossSite({ event: e, resolve }) });
};

export const handle: Handle = (input) =>
	checkedByHandler(input.event) ? handleSessionChecked(input) : handleEveryRequest(input);

export const handleError: HandleServerError = ({ error: e, status }) => {
	if (status !== 404) console.error(e);
	return { message: status === 404 ? m.error_404() : m.error_500() };
};

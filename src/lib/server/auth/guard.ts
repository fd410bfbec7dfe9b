// What the hooks do for every request — who is asking, and may they use this route — as
// functions, so that a handler that checks the session in its own statement (the autosave) falls
// back to exactly the same checks when that statement wrote nothing.
import { error, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { recordAudit } from '../audit/log';
import { accessFor, decideAccess } from './access-rules';
import { clearSessionCookie, setSessionCookie } from './cookie';
import { SESSION_COOKIE, validateSessionToken } from './session';

/** Sets locals.user and locals.session from the session cookie (renewing or clearing it). */
export async function authenticate(event: RequestEvent): Promise<void> {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = null;
	event.locals.session = null;
	if (!token) return;
	const { session, user, renewed } = await validateSessionToken(token);
	if (session) {
		event.locals.session = session;
		event.locals.user = user;
		// The cookie carries the session's expiry: sent again only when that moved.
		if (renewed) setSessionCookie(event.cookies, token, session.expiresAt, event.url);
	} else clearSessionCookie(event.cookies, event.url);
}

const PASSWORD_EXEMPT = new Set(['/account/password', '/logout', '/language']);

/** null when the person may use the route; otherwise the response to send instead (to sign in,
 *  to change a one-time password). A refusal is audited and thrown as a 403. */
export async function refuseAccess(event: RequestEvent): Promise<Response | null> {
	const routeId = event.route.id;
	if (routeId === null) return null; // unknown path: the 404 page
	const user = event.locals.user;
	const decision = decideAccess(accessFor(routeId), user?.roles ?? null);
	if (decision === 'sign-in') {
		const next = event.url.pathname + event.url.search;
		return seeOther(`/login?next=${encodeURIComponent(next)}`);
	}
	if (decision === 'deny') {
		await recordAudit({
			actor: user,
			action: 'access.denied',
			target: routeId,
			ip: event.getClientAddress(),
			detail: { method: event.request.method, path: event.url.pathname }
		});
		// Thrown from a hook, this renders src/error.html: no page code or data of the route runs.
		error(403, m.error_403());
	}
	if (user?.mustChangePassword && !PASSWORD_EXEMPT.has(routeId))
		return seeOther('/account/password');
	return null;
}

// Returned rather than thrown, so the outer handles still add their headers.
const seeOther = (location: string) => new Response(null, { status: 303, headers: { location } });

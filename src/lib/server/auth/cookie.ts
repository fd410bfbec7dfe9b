import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function setSessionCookie(cookies: Cookies, token: string, expires: Date, url: URL): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		// Secure everywhere but on this machine's loopback, where there is no TLS to be had.
		secure: !LOOPBACK.has(url.hostname),
		expires
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: !LOOPBACK.has(url.hostname) });
}

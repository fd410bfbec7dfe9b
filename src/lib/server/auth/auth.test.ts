import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { config } from '../config';
import { db } from '../db/client';
import { setActive } from '../people/accounts';
import { makeActor } from '../testing/fixtures';
import { hashPassword, verifyPassword } from './password';
import { sessions } from './schema';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	sessionIdFromToken,
	validateSessionToken
} from './session';
import { signIn } from './sign-in';

describe('passwords', () => {
	it('uses argon2id and does not truncate long passwords', async () => {
		const long = 'x'.repeat(100);
		const h = await hashPassword(long);
		expect(h.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(h, long)).toBe(true);
		expect(await verifyPassword(h, 'x'.repeat(99))).toBe(false);
		expect(await verifyPassword(h, 'x'.repeat(100) + 'y')).toBe(false);
	});
});

describe('sessions', () => {
	it('stores only the SHA-256 of the token', async () => {
		const user = await makeActor(['trainee']);
		const token = generateSessionToken();
		await createSession(token, user.id);
		const rows = await db.select().from(sessions).where(eq(sessions.userId, user.id));
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(sessionIdFromToken(token));
		expect(rows[0].id).not.toContain(token);
		const v = await validateSessionToken(token);
		expect(v.user?.id).toBe(user.id);
		expect(v.user?.roles).toEqual(['trainee']);
	});

	it('renews while in use but never beyond the absolute lifetime', async () => {
		const user = await makeActor(['trainee']);
		const token = generateSessionToken();
		const start = new Date('2026-01-01T00:00:00Z');
		await createSession(token, user.id, start);
		const { idleMs, absoluteMs } = config.session;
		// Use it every (idle * 0.6): each use renews the idle window.
		let t = start.getTime();
		let last = null;
		while (t < start.getTime() + absoluteMs + idleMs) {
			t += idleMs * 0.6;
			last = await validateSessionToken(token, new Date(t));
			if (!last.session) break;
			expect(last.session.expiresAt.getTime()).toBeLessThanOrEqual(start.getTime() + absoluteMs);
		}
		expect(last?.session).toBeNull();
		expect(t).toBeGreaterThanOrEqual(start.getTime() + absoluteMs);
	});

	it('ends after the idle timeout without use', async () => {
		const user = await makeActor(['trainee']);
		const token = generateSessionToken();
		const start = new Date();
		await createSession(token, user.id, start);
		const later = new Date(start.getTime() + config.session.idleMs + 1000);
		expect((await validateSessionToken(token, later)).session).toBeNull();
		// …and the row is gone, not just refused.
		const left = await db
			.select()
			.from(sessions)
			.where(eq(sessions.id, sessionIdFromToken(token)));
		expect(left).toHaveLength(0);
	});

	it('logout ends the session for good', async () => {
		const user = await makeActor(['trainee']);
		const token = generateSessionToken();
		const s = await createSession(token, user.id);
		await invalidateSession(s.id);
		expect((await validateSessionToken(token)).user).toBeNull();
	});

	it('deactivating a person ends all their sessions', async () => {
		const admin = await makeActor(['admin']);
		const user = await makeActor(['trainee']);
		const a = generateSessionToken();
		const b = generateSessionToken();
		await createSession(a, user.id);
		await createSession(b, user.id);
		await setActive(admin, user.id, false, '127.0.0.1');
		expect((await validateSessionToken(a)).user).toBeNull();
		expect((await validateSessionToken(b)).user).toBeNull();
		const [{ n }] = await db
			.select({ n: sql<number>`count(*)::int` })
			.from(sessions)
			.where(eq(sessions.userId, user.id));
		expect(n).toBe(0);
	});
});

describe('sign-in', () => {
	it('gives the same answer for an unknown login and a wrong password', async () => {
		const user = await makeActor(['trainee']);
		const unknown = await signIn('nobody-here', 'whatever-password', '10.0.0.1');
		const wrong = await signIn(user.login, 'wrong-password', '10.0.0.2');
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
	});

	it('accepts the right password, case-insensitive login with spaces', async () => {
		const user = await makeActor(['teacher']);
		const r = await signIn(`  ${user.login.toUpperCase()} `, user.password, '10.0.0.3');
		expect(r.ok).toBe(true);
	});

	it('refuses a deactivated account like a wrong password', async () => {
		const admin = await makeActor(['admin']);
		const user = await makeActor(['trainee']);
		await setActive(admin, user.id, false, null);
		expect(await signIn(user.login, user.password, '10.0.0.4')).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});

	it('locks an account after repeated failures, then lets the right password in after the cooldown', async () => {
		const user = await makeActor(['trainee']);
		const ip = '10.0.1.1';
		let last;
		for (let i = 0; i < config.throttle.accountFailures; i++)
			last = await signIn(user.login, 'wrong-' + i, ip);
		expect(last).toMatchObject({ ok: false, reason: 'locked' });
		// Even the right password is refused while locked, with the minutes to wait.
		const during = await signIn(user.login, user.password, '10.0.1.2');
		expect(during).toMatchObject({ ok: false, reason: 'locked' });
		if (!during.ok && during.reason === 'locked') expect(during.minutes).toBeGreaterThan(0);
		// Let the lock expire by moving it into the past.
		await db.execute(
			sql`update login_throttle set locked_until = now() - interval '1 second', window_started_at = now() - interval '1 day'`
		);
		expect((await signIn(user.login, user.password, '10.0.1.3')).ok).toBe(true);
	});

	it('locks an IP that tries many accounts', async () => {
		const ip = '10.0.2.1';
		let last;
		for (let i = 0; i < config.throttle.ipFailures; i++)
			last = await signIn(`ghost-${i}`, 'nope-nope', ip);
		expect(last).toMatchObject({ ok: false, reason: 'locked' });
		const user = await makeActor(['trainee']);
		expect(await signIn(user.login, user.password, ip)).toMatchObject({
			ok: false,
			reason: 'locked'
		});
		expect((await signIn(user.login, user.password, '10.0.2.2')).ok).toBe(true);
	});
});

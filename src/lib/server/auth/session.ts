// Sessions the Lucia way (lucia-auth.com): a random token in the cookie, only its SHA-256 in
// the database; sliding renewal while in use, never past an absolute lifetime.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import { config } from '../config';
import { db, preparedOn } from '../db/client';
import { userRoles, users } from '../people/schema';
import type { Actor, Role } from '../people/roles';
import { sessions } from './schema';

export const SESSION_COOKIE = 'session';

export type Session = { id: string; userId: string; createdAt: Date; expiresAt: Date };
export type SessionUser = Actor & { mustChangePassword: boolean };

export function generateSessionToken(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
	token: string,
	userId: string,
	now = new Date()
): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		createdAt: now,
		expiresAt: new Date(
			Math.min(now.getTime() + config.session.idleMs, now.getTime() + config.session.absoluteMs)
		)
	};
	await db.insert(sessions).values(session);
	return session;
}

// Every request looks its session up: a prepared statement saves the planning each time.
const sessionLookup = preparedOn((on) =>
	on
		.select({
			session: sessions,
			userId: users.id,
			login: users.login,
			displayName: users.displayName,
			active: users.active,
			mustChangePassword: users.mustChangePassword,
			role: userRoles.role
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.leftJoin(userRoles, eq(userRoles.userId, users.id))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare('session_lookup')
);

export type ValidatedSession =
	| {
			session: Session;
			user: SessionUser;
			/** The expiry moved: the cookie must say so too. */
			renewed: boolean;
	  }
	| { session: null; user: null; renewed: false };

export async function validateSessionToken(
	token: string,
	now = new Date()
): Promise<ValidatedSession> {
	const id = sessionIdFromToken(token);
	const rows = await sessionLookup().execute({ id });
	const first = rows[0];
	if (!first) return { session: null, user: null, renewed: false };
	const session = first.session;
	if (!first.active || now >= session.expiresAt) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return { session: null, user: null, renewed: false };
	}
	let renewed = false;
	// Renew once half the idle window is used, so an active user is not signed out mid-task,
	// but never beyond the absolute lifetime counted from sign-in.
	if (session.expiresAt.getTime() - now.getTime() < config.session.idleMs / 2) {
		const renewedUntil = new Date(
			Math.min(
				now.getTime() + config.session.idleMs,
				session.createdAt.getTime() + config.session.absoluteMs
			)
		);
		if (renewedUntil > session.expiresAt) {
			session.expiresAt = renewedUntil;
			renewed = true;
			await db.update(sessions).set({ expiresAt: renewedUntil }).where(eq(sessions.id, id));
		}
	}
	const roles = rows.map((r) => r.role).filter((r): r is Role => r !== null);
	return {
		session,
		renewed,
		user: {
			id: first.userId,
			login: first.login,
			displayName: first.displayName,
			mustChangePassword: first.mustChangePassword,
			roles
		}
	};
}

export async function invalidateSession(sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(
	userId: string,
	exceptSessionId?: string
): Promise<void> {
	await db
		.delete(sessions)
		.where(
			exceptSessionId
				? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
				: eq(sessions.userId, userId)
		);
}

export async function deleteExpiredSessions(now = new Date()): Promise<void> {
	await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

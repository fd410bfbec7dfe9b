import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { db } from '../db/client';
import { users } from '../people/schema';
import { dummyPasswordHash, verifyPassword } from './password';
import { createSession, generateSessionToken, type Session } from './session';
import { clearAccountFailures, lockedMinutes, recordFailure } from './throttle';

export type SignInResult =
	| { ok: true; token: string; session: Session; userId: string; mustChangePassword: boolean }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'locked'; minutes: number };

export function normaliseLogin(login: string): string {
	return login.trim().toLowerCase();
}

/** Unknown login, wrong password and deactivated account all answer 'invalid', after the same
 *  amount of work, so the answer does not reveal which accounts exist. */
export async function signIn(
	loginInput: string,
	password: string,
	ip: string | null
): Promise<SignInResult> {
	const login = normaliseLogin(loginInput);
	const keys = { account: login, ip };
	const locked = await lockedMinutes(keys);
	if (locked > 0) return { ok: false, reason: 'locked', minutes: locked };

	const [user] = await db
		.select({
			id: users.id,
			hash: users.passwordHash,
			active: users.active,
			mustChange: users.mustChangePassword
		})
		.from(users)
		.where(eq(users.login, login));
	const valid = await verifyPassword(user?.hash ?? (await dummyPasswordHash()), password);
	if (!user || !valid || !user.active) {
		await recordFailure(keys);
		const nowLocked = await lockedMinutes(keys);
		if (nowLocked > 0) return { ok: false, reason: 'locked', minutes: nowLocked };
		return { ok: false, reason: 'invalid' };
	}
	await clearAccountFailures(login);
	const token = generateSessionToken();
	const session = await createSession(token, user.id);
	await recordAudit({ actor: { id: user.id, login }, action: 'auth.sign_in', ip });
	return { ok: true, token, session, userId: user.id, mustChangePassword: user.mustChange };
}

// Sign-in throttling per account and per IP. Counts live in the database so every app
// instance sees the same numbers; a lock ends by itself after the cooldown.
import { inArray, sql } from 'drizzle-orm';
import { config } from '../config';
import { db } from '../db/client';
import { loginThrottle } from './schema';

export type ThrottleKeys = { account: string; ip: string | null };

function keysOf(k: ThrottleKeys): string[] {
	return k.ip ? [`account:${k.account}`, `ip:${k.ip}`] : [`account:${k.account}`];
}

/** Minutes until sign-in is allowed again for these keys, or 0 when it is allowed now. */
export async function lockedMinutes(k: ThrottleKeys, now = new Date()): Promise<number> {
	const rows = await db
		.select({ lockedUntil: loginThrottle.lockedUntil })
		.from(loginThrottle)
		.where(inArray(loginThrottle.key, keysOf(k)));
	const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
	return until > now.getTime() ? Math.ceil((until - now.getTime()) / 60_000) : 0;
}

/** Counts one failed sign-in against the account and the IP; locks a key that reaches its limit. */
export async function recordFailure(k: ThrottleKeys, now = new Date()): Promise<void> {
	const { windowMs, lockMs, accountFailures, ipFailures } = config.throttle;
	const lockUntil = new Date(now.getTime() + lockMs);
	// Raw SQL parameters go through as ISO strings: postgres.js does not serialise a Date there.
	const windowStart = sql`${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`;
	const nowParam = sql`${now.toISOString()}::timestamptz`;
	const lockParam = sql`${lockUntil.toISOString()}::timestamptz`;
	for (const key of keysOf(k)) {
		const limit = key.startsWith('ip:') ? ipFailures : accountFailures;
		// One statement: a new window starts when the old one has passed (or a lock expired).
		await db
			.insert(loginThrottle)
			.values({
				key,
				failures: 1,
				windowStartedAt: now,
				lockedUntil: limit <= 1 ? lockUntil : null
			})
			.onConflictDoUpdate({
				target: loginThrottle.key,
				set: {
					failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
					windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${nowParam} else ${loginThrottle.windowStartedAt} end`,
					lockedUntil: sql`case when (case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end) >= ${limit} then ${lockParam} else ${loginThrottle.lockedUntil} end`
				}
			});
	}
}

/** A successful sign-in clears the account's count (not the IP's: one good password must not
 *  reset the count of an address trying many accounts). */
export async function clearAccountFailures(account: string): Promise<void> {
	await db.delete(loginThrottle).where(inArray(loginThrottle.key, [`account:${account}`]));
}

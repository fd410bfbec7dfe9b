// Public verification (no sign-in): the code printed on a certificate or read from its QR code
// gives valid / expired / revoked, the holder's name, the program and the issue date, nothing
// else. Lookups are counted per client IP in the database (the sign-in throttle's table, with
// its own key prefix), so every app instance shares the limit.
import { eq, sql } from 'drizzle-orm';
import { loginThrottle } from '../auth/schema';
import { db } from '../db/client';
import { users } from '../people/schema';
import { localDay, normalizeCode, stateOf, type CertificateState } from './certificates';
import { certificates } from './schema';

function intFromEnv(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const VERIFY_LIMIT = {
	perIp: intFromEnv('VERIFY_MAX_PER_IP', 30),
	windowMs: intFromEnv('VERIFY_WINDOW_MINUTES', 10) * 60_000
};

export type PublicCertificate = {
	state: CertificateState;
	number: string;
	holderName: string;
	programTitle: string;
	programTitleEn: string;
	issuedOn: string;
	validUntil: string | null;
	revokedOn: string | null;
};

export type VerifyResult =
	| { kind: 'found'; certificate: PublicCertificate }
	| { kind: 'not_found' }
	| { kind: 'invalid' }
	| { kind: 'limited'; minutes: number };

/** Counts one lookup for the IP; false when the IP is over its limit for the current window. */
export async function takeVerifyToken(
	ip: string,
	now = new Date(),
	limit = VERIFY_LIMIT
): Promise<{ ok: boolean; minutes: number }> {
	const key = `verify:${ip}`;
	const windowStart = sql`${new Date(now.getTime() - limit.windowMs).toISOString()}::timestamptz`;
	const nowParam = sql`${now.toISOString()}::timestamptz`;
	const [row] = await db
		.insert(loginThrottle)
		.values({ key, failures: 1, windowStartedAt: now, lockedUntil: null })
		.onConflictDoUpdate({
			target: loginThrottle.key,
			set: {
				failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
				windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${nowParam} else ${loginThrottle.windowStartedAt} end`
			}
		})
		.returning({ count: loginThrottle.failures, startedAt: loginThrottle.windowStartedAt });
	if (row.count <= limit.perIp) return { ok: true, minutes: 0 };
	const ends = row.startedAt.getTime() + limit.windowMs;
	return { ok: false, minutes: Math.max(1, Math.ceil((ends - now.getTime()) / 60_000)) };
}

export async function verifyCertificate(
	input: string,
	ip: string,
	now = new Date(),
	limit = VERIFY_LIMIT
): Promise<VerifyResult> {
	const token = await takeVerifyToken(ip, now, limit);
	if (!token.ok) return { kind: 'limited', minutes: token.minutes };
	const code = normalizeCode(input);
	if (!code) return { kind: 'invalid' };
	const [row] = await db
		.select({ c: certificates, holderName: users.displayName })
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.where(eq(certificates.verificationCode, code));
	if (!row) return { kind: 'not_found' };
	const { c } = row;
	return {
		kind: 'found',
		certificate: {
			state: stateOf(c, now),
			number: c.number,
			holderName: row.holderName,
			programTitle: c.programTitle,
			programTitleEn: c.programTitleEn,
			issuedOn: localDay(c.issuedAt),
			validUntil: c.validUntil,
			revokedOn: c.revokedAt ? localDay(c.revokedAt) : null
		}
	};
}

// Accounts and role grants. Every function takes the acting person and checks their role.
import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import {
	generateOneTimePassword,
	hashPassword,
	PASSWORD_MAX,
	PASSWORD_MIN,
	verifyPassword
} from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { db, type Executor } from '../db/client';
import { assertRole, RuleViolation } from '../errors';
import { isRole, type Actor, type Role } from './roles';
import { userRoles, users } from './schema';

export type AccountInput = {
	login: string;
	displayName: string;
	employeeNo?: string | null;
	email?: string | null;
	phone?: string | null;
	roles: Role[];
	/** Omitted: a one-time password is generated and returned (shown once). */
	password?: string | null;
};

export type AccountSummary = {
	id: string;
	login: string;
	displayName: string;
	employeeNo: string | null;
	email: string | null;
	phone: string | null;
	active: boolean;
	mustChangePassword: boolean;
	roles: Role[];
	createdAt: Date;
};

export function checkPasswordRules(password: string, field = 'password'): void {
	if (password.length < PASSWORD_MIN)
		throw new RuleViolation('error_password_too_short', field, { min: PASSWORD_MIN });
	if (password.length > PASSWORD_MAX)
		throw new RuleViolation('error_password_too_long', field, { max: PASSWORD_MAX });
}

const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Creates the account without an acting person: the first admin (CLI), seeds and imports use it
 *  inside their own checked entry points. */
export async function insertAccount(
	input: AccountInput,
	exec: Executor = db
): Promise<{ id: string; oneTimePassword: string | null }> {
	const login = input.login.trim().toLowerCase();
	if (!LOGIN_PATTERN.test(login)) throw new RuleViolation('error_login_format', 'login');
	const oneTimePassword = input.password ? null : generateOneTimePassword();
	const password = input.password ?? oneTimePassword!;
	checkPasswordRules(password);
	const [taken] = await exec.select({ id: users.id }).from(users).where(eq(users.login, login));
	if (taken) throw new RuleViolation('error_login_taken', 'login');
	const employeeNo = input.employeeNo?.trim() || null;
	if (employeeNo) {
		const [dup] = await exec
			.select({ id: users.id })
			.from(users)
			.where(eq(users.employeeNo, employeeNo));
		if (dup) throw new RuleViolation('error_employee_no_taken', 'employeeNo');
	}
	const [row] = await exec
		.insert(users)
		.values({
			login,
			displayName: input.displayName.trim(),
			employeeNo,
			email: input.email?.trim() || null,
			phone: input.phone?.trim() || null,
			passwordHash: await hashPassword(password),
			mustChangePassword: oneTimePassword !== null
		})
		.returning({ id: users.id });
	if (input.roles.length)
		await exec.insert(userRoles).values(input.roles.map((role) => ({ userId: row.id, role })));
	return { id: row.id, oneTimePassword };
}

export async function createAccount(actor: Actor, input: AccountInput, ip: string | null) {
	assertRole(actor, 'admin');
	return db.transaction(async (tx) => {
		const created = await insertAccount(input, tx);
		await recordAudit(
			{
				actor,
				action: 'people.create',
				target: `user:${created.id}`,
				ip,
				detail: { login: input.login, roles: input.roles }
			},
			tx
		);
		return created;
	});
}

async function rolesOf(userIds: string[]): Promise<Map<string, Role[]>> {
	const map = new Map<string, Role[]>();
	if (userIds.length === 0) return map;
	const rows = await db
		.select({ userId: userRoles.userId, role: userRoles.role })
		.from(userRoles)
		.where(inArray(userRoles.userId, userIds));
	for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.role]);
	return map;
}

export async function listAccounts(
	actor: Actor,
	opts: { query?: string; role?: Role | null; page?: number; pageSize?: number } = {}
): Promise<{ rows: AccountSummary[]; total: number }> {
	assertRole(actor, 'admin');
	const pageSize = opts.pageSize ?? 25;
	const page = Math.max(1, opts.page ?? 1);
	const q = opts.query?.trim();
	const conditions = [];
	if (q) {
		const like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
		conditions.push(
			or(ilike(users.login, like), ilike(users.displayName, like), ilike(users.employeeNo, like))
		);
	}
	if (opts.role)
		conditions.push(
			sql`exists (select 1 from ${userRoles} where ${userRoles.userId} = ${users.id} and ${userRoles.role} = ${opts.role})`
		);
	const where = conditions.length ? and(...conditions) : undefined;
	const [{ total }] = await db.select({ total: count() }).from(users).where(where);
	const rows = await db
		.select()
		.from(users)
		.where(where)
		.orderBy(asc(users.login))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	const roles = await rolesOf(rows.map((r) => r.id));
	return { rows: rows.map((r) => toSummary(r, roles.get(r.id) ?? [])), total };
}

function toSummary(r: typeof users.$inferSelect, roles: Role[]): AccountSummary {
	return {
		id: r.id,
		login: r.login,
		displayName: r.displayName,
		employeeNo: r.employeeNo,
		email: r.email,
		phone: r.phone,
		active: r.active,
		mustChangePassword: r.mustChangePassword,
		roles,
		createdAt: r.createdAt
	};
}

export async function getAccount(actor: Actor, userId: string): Promise<AccountSummary | null> {
	assertRole(actor, 'admin');
	const [row] = await db.select().from(users).where(eq(users.id, userId));
	if (!row) return null;
	return toSummary(row, (await rolesOf([row.id])).get(row.id) ?? []);
}

async function requireUser(userId: string) {
	const [row] = await db.select().from(users).where(eq(users.id, userId));
	if (!row) throw new RuleViolation('error_not_found');
	return row;
}

export async function setRoles(
	actor: Actor,
	userId: string,
	roles: Role[],
	ip: string | null
): Promise<void> {
	assertRole(actor, 'admin');
	const wanted = [...new Set(roles.filter(isRole))];
	// An admin cannot remove their own admin role: the last way back in must not be lost by a click.
	if (userId === actor.id && !wanted.includes('admin'))
		throw new RuleViolation('error_keep_own_admin', 'roles');
	await requireUser(userId);
	await db.transaction(async (tx) => {
		const before = (
			await tx.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId))
		).map((r) => r.role);
		const granted = wanted.filter((r) => !before.includes(r));
		const revoked = before.filter((r) => !wanted.includes(r));
		if (!granted.length && !revoked.length) return;
		for (const role of revoked)
			await tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.role, role)));
		if (granted.length)
			await tx.insert(userRoles).values(granted.map((role) => ({ userId, role })));
		await recordAudit(
			{ actor, action: 'people.roles', target: `user:${userId}`, ip, detail: { granted, revoked } },
			tx
		);
	});
}

export async function setActive(
	actor: Actor,
	userId: string,
	active: boolean,
	ip: string | null
): Promise<void> {
	assertRole(actor, 'admin');
	if (userId === actor.id && !active) throw new RuleViolation('error_cannot_deactivate_self');
	const row = await requireUser(userId);
	if (row.active === active) return;
	await db.transaction(async (tx) => {
		await tx.update(users).set({ active }).where(eq(users.id, userId));
		await recordAudit(
			{
				actor,
				action: active ? 'people.activate' : 'people.deactivate',
				target: `user:${userId}`,
				ip
			},
			tx
		);
	});
	// A deactivated person is signed out everywhere at once.
	if (!active) await invalidateUserSessions(userId);
}

export async function updateProfile(
	actor: Actor,
	userId: string,
	input: Pick<AccountInput, 'displayName' | 'employeeNo' | 'email' | 'phone'>,
	ip: string | null
): Promise<void> {
	assertRole(actor, 'admin');
	await requireUser(userId);
	const employeeNo = input.employeeNo?.trim() || null;
	if (employeeNo) {
		const [dup] = await db
			.select({ id: users.id })
			.from(users)
			.where(eq(users.employeeNo, employeeNo));
		if (dup && dup.id !== userId) throw new RuleViolation('error_employee_no_taken', 'employeeNo');
	}
	await db.transaction(async (tx) => {
		await tx
			.update(users)
			.set({
				displayName: input.displayName.trim(),
				employeeNo,
				email: input.email?.trim() || null,
				phone: input.phone?.trim() || null
			})
			.where(eq(users.id, userId));
		await recordAudit({ actor, action: 'people.update', target: `user:${userId}`, ip }, tx);
	});
}

/** Sets a one-time password the person must change at next sign-in; returns it to show once. */
export async function resetPassword(
	actor: Actor,
	userId: string,
	ip: string | null
): Promise<string> {
	assertRole(actor, 'admin');
	await requireUser(userId);
	const oneTime = generateOneTimePassword();
	await db.transaction(async (tx) => {
		await tx
			.update(users)
			.set({ passwordHash: await hashPassword(oneTime), mustChangePassword: true })
			.where(eq(users.id, userId));
		await recordAudit({ actor, action: 'people.reset_password', target: `user:${userId}`, ip }, tx);
	});
	await invalidateUserSessions(userId);
	return oneTime;
}

/** The person's own change; ends their other sessions. */
export async function changeOwnPassword(
	actor: Actor,
	current: string,
	next: string,
	currentSessionId: string,
	ip: string | null
): Promise<void> {
	const row = await requireUser(actor.id);
	if (!(await verifyPassword(row.passwordHash, current)))
		throw new RuleViolation('error_current_password_wrong', 'current');
	checkPasswordRules(next, 'next');
	if (current === next) throw new RuleViolation('error_password_same', 'next');
	await db.transaction(async (tx) => {
		await tx
			.update(users)
			.set({ passwordHash: await hashPassword(next), mustChangePassword: false })
			.where(eq(users.id, actor.id));
		await recordAudit(
			{ actor, action: 'auth.change_password', target: `user:${actor.id}`, ip },
			tx
		);
	});
	await invalidateUserSessions(actor.id, currentSessionId);
}

// Helpers for integration tests: real accounts in the real (test) database.
import { insertAccount } from '../people/accounts';
import { userRoles, users } from '../people/schema';
import { db } from '../db/client';
import { eq } from 'drizzle-orm';
import type { Actor, Role } from '../people/roles';

let counter = 0;

export async function makeActor(
	roles: Role[],
	password = 'correct horse battery'
): Promise<Actor & { password: string }> {
	counter++;
	const login = `u${counter}-${roles.join('-') || 'none'}-${Math.floor(Math.random() * 1e6)}`;
	const { id } = await insertAccount({ login, displayName: `测试用户${counter}`, roles, password });
	const [row] = await db.select().from(users).where(eq(users.id, id));
	const granted = (await db.select().from(userRoles).where(eq(userRoles.userId, id))).map(
		(r) => r.role
	);
	return { id, login: row.login, displayName: row.displayName, roles: granted, password };
}

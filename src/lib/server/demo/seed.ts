// Demo data: loaded only on request (`npm start` on an empty embedded database, or
// `npm run db:seed-demo`), never silently in production.
import { count } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { db } from '../db/client';
import { insertAccount } from '../people/accounts';
import type { Role } from '../people/roles';
import { users } from '../people/schema';
import { MOCK_DEMO } from '../mock-calls/demo';

export const DEMO_PASSWORD = 'demo-pass-2026';

export const DEMO_ACCOUNTS: {
	login: string;
	displayName: string;
	employeeNo: string;
	roles: Role[];
}[] = [
	{ login: 'admin', displayName: '王敏', employeeNo: 'A0001', roles: ['admin'] },
	{ login: 'hr', displayName: '李静', employeeNo: 'H0001', roles: ['hr'] },
	{ login: 'teacher', displayName: '张丽华', employeeNo: 'T0001', roles: ['teacher', 'examiner'] },
	{ login: 'examiner', displayName: '陈刚', employeeNo: 'E0001', roles: ['examiner'] },
	{ login: 'trainee', displayName: '刘洋', employeeNo: 'X2026001', roles: ['trainee'] },
	{ login: 'trainee2', displayName: '赵雪', employeeNo: 'X2026002', roles: ['trainee'] },
	{ login: 'trainee3', displayName: '孙浩', employeeNo: 'X2026003', roles: ['trainee'] },
	{ login: 'trainee4', displayName: '王芳', employeeNo: 'X2026004', roles: ['trainee'] },
	{ login: 'trainee5', displayName: '周磊', employeeNo: 'X2026005', roles: ['trainee'] },
	{ login: 'trainee6', displayName: '吴静', employeeNo: 'X2026006', roles: ['trainee'] },
	{ login: 'trainee7', displayName: '何晓', employeeNo: 'X2026007', roles: ['trainee'] }
];

export async function seedDemo(): Promise<void> {
	await db.transaction(async (tx) => {
		for (const a of DEMO_ACCOUNTS) await insertAccount({ ...a, password: DEMO_PASSWORD }, tx);
		await recordAudit(
			{ actor: null, action: 'demo.seed', detail: { accounts: DEMO_ACCOUNTS.length } },
			tx
		);
	});
	await (await import('../cohorts/demo')).seedDemoCohort();
	await (await import('../certificates/demo')).seedDemoCertificate();
	await (await import('../attempts/demo')).seedDemoExamTakers();
	await (await import('../cases/demo')).seedDemoCaseAnalysis();
	await (await import('../mock-calls/demo')).seedDemoMockCalls(DEMO_PASSWORD);
}

export async function seedDemoIfEmpty(): Promise<boolean> {
	const [{ n }] = await db.select({ n: count() }).from(users);
	if (n > 0) return false;
	await seedDemo();
	const port = process.env.PORT || '3000';
	console.log(
		[
			'',
			`Demo data loaded. Open http://localhost:${port}`,
			`Demo accounts (password for all: ${DEMO_PASSWORD}):`,
			...DEMO_ACCOUNTS.map(
				(a) => `  ${a.login.padEnd(10)} ${a.roles.join(', ')}  ${a.displayName}`
			),
			...MOCK_DEMO.map(
				(a) =>
					`  ${a.login.padEnd(10)} trainee  ${a.displayName} (${a.stageIndex === 1 ? 'mock call' : 'mock go-live shift'})`
			),
			''
		].join('\n')
	);
	return true;
}

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { recordAudit, verifyAuditChain } from './log';

describe('audit log', () => {
	it('chains every entry and verifies', async () => {
		for (let i = 0; i < 5; i++)
			await recordAudit({
				actor: null,
				action: 'test.write',
				target: `t:${i}`,
				detail: { b: 2, a: [1, { z: 1, y: '中文' }] }
			});
		const report = await verifyAuditChain();
		expect(report.ok).toBe(true);
		expect(report.rows).toBeGreaterThanOrEqual(5);
	});

	it('cannot be updated, deleted or truncated by the application', async () => {
		await recordAudit({ actor: null, action: 'test.keep' });
		await expect(db.execute(sql`update audit_log set action = 'x'`)).rejects.toThrow();
		await expect(db.execute(sql`delete from audit_log`)).rejects.toThrow();
		await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
	});

	it('finds the first tampered row', async () => {
		await recordAudit({ actor: null, action: 'test.a' });
		await recordAudit({ actor: null, action: 'test.b' });
		await recordAudit({ actor: null, action: 'test.c' });
		const rows = (await db.execute(
			sql`select id from audit_log where action = 'test.b'`
		)) as unknown;
		const list = Array.isArray(rows) ? rows : (rows as { rows: { id: number }[] }).rows;
		const id = Number(list[0].id);
		// Someone with database superuser rights bypasses the trigger and edits a row.
		await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
		await db.execute(sql`update audit_log set action = 'test.forged' where id = ${id}`);
		await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
		const report = await verifyAuditChain();
		expect(report).toMatchObject({ ok: false, brokenAt: id });
	});
});

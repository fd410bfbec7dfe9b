import { count, desc } from 'drizzle-orm';
import { db } from '../db/client';
import { assertRole } from '../errors';
import type { Actor } from '../people/roles';
import { recordAudit, verifyAuditChain, type ChainReport } from './log';
import { auditLog } from './schema';

export async function listAuditEntries(actor: Actor, opts: { page?: number; pageSize?: number } = {}) {
	assertRole(actor, 'admin');
	const pageSize = opts.pageSize ?? 50;
	const page = Math.max(1, opts.page ?? 1);
	const [{ total }] = await db.select({ total: count() }).from(auditLog);
	const rows = await db
		.select({
			id: auditLog.id,
			occurredAt: auditLog.occurredAt,
			actorLogin: auditLog.actorLogin,
			action: auditLog.action,
			target: auditLog.target,
			ip: auditLog.ip
		})
		.from(auditLog)
		.orderBy(desc(auditLog.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	return { rows, total, page, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

export async function verifyChainAs(actor: Actor, ip: string | null): Promise<ChainReport> {
	assertRole(actor, 'admin');
	const report = await verifyAuditChain();
	await recordAudit({ actor, action: 'audit.verify', ip, detail: { ok: report.ok, rows: report.rows } });
	return report;
}

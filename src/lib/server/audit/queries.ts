import { count, desc } from 'drizzle-orm';
import { db } from '../db/client';
import { assertRole } from '../errors';
import type { Actor } from '../people/roles';
import {
	verifyDecisionChain,
	type ChainReport as DecisionChainReport
} from '../decisions/decisions';
import { recordAudit, verifyAuditChain, type ChainReport } from './log';
import { auditLog } from './schema';

export async function listAuditEntries(
	actor: Actor,
	opts: { page?: number; pageSize?: number } = {}
) {
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

/** Verifies both hash chains: the audit log and the decision log. */
export async function verifyChainAs(
	actor: Actor,
	ip: string | null
): Promise<{ audit: ChainReport; decisions: DecisionChainReport }> {
	assertRole(actor, 'admin');
	const audit = await verifyAuditChain();
	const decisions = await verifyDecisionChain();
	await recordAudit({
		actor,
		action: 'audit.verify',
		ip,
		detail: { audit: audit.ok, decisions: decisions.ok }
	});
	return { audit, decisions };
}

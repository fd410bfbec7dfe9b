import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { asc, desc, sql } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { auditLog } from './schema';

export const GENESIS_HASH = '0'.repeat(64);
// Any constant works; it only has to be the same for every writer of the chain.
const CHAIN_LOCK = 727_001;

export type AuditEntry = {
	actor: { id: string; login: string } | null;
	action: string;
	target?: string | null;
	ip?: string | null;
	detail?: Record<string, unknown> | null;
};

/** JSON with object keys sorted, so a row read back from jsonb hashes the same. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of `prevHash` chained to any content, via canonicalJson: the hash-chain step
 *  shared by the audit log and other append-only tables (stage decisions). */
export function chainHash(prevHash: string, content: unknown): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonicalJson([prevHash, content]))));
}

type HashedFields = {
	occurredAt: Date;
	actorId: string | null;
	actorLogin: string | null;
	action: string;
	target: string | null;
	ip: string | null;
	detail: Record<string, unknown> | null;
};

export function rowHash(prevHash: string, row: HashedFields): string {
	const content = canonicalJson([
		prevHash,
		row.occurredAt.toISOString(),
		row.actorId,
		row.actorLogin,
		row.action,
		row.target,
		row.ip,
		row.detail
	]);
	return encodeHexLowerCase(sha256(new TextEncoder().encode(content)));
}

/** Appends one entry to the hash chain. Pass the open transaction of the write it records so
 *  both commit or neither does. */
export async function recordAudit(entry: AuditEntry, exec: Executor = db): Promise<void> {
	await exec.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
		const [last] = await tx
			.select({ hash: auditLog.hash })
			.from(auditLog)
			.orderBy(desc(auditLog.id))
			.limit(1);
		const row: HashedFields = {
			occurredAt: new Date(),
			actorId: entry.actor?.id ?? null,
			actorLogin: entry.actor?.login ?? null,
			action: entry.action,
			target: entry.target ?? null,
			ip: entry.ip ?? null,
			detail: entry.detail ?? null
		};
		const prevHash = last?.hash ?? GENESIS_HASH;
		await tx.insert(auditLog).values({ ...row, prevHash, hash: rowHash(prevHash, row) });
	});
}

export type ChainReport =
	{ ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/** Walks the chain in id order and reports the first row whose hash or link does not hold. */
export async function verifyAuditChain(exec: Executor = db): Promise<ChainReport> {
	let prev = GENESIS_HASH;
	let rows = 0;
	let lastId = 0;
	for (;;) {
		const batch = await exec
			.select()
			.from(auditLog)
			.where(sql`${auditLog.id} > ${lastId}`)
			.orderBy(asc(auditLog.id))
			.limit(1000);
		if (batch.length === 0) return { ok: true, rows };
		for (const r of batch) {
			if (r.prevHash !== prev)
				return {
					ok: false,
					rows,
					brokenAt: r.id,
					reason: 'link to the previous row does not match'
				};
			if (rowHash(prev, r) !== r.hash)
				return { ok: false, rows, brokenAt: r.id, reason: 'content does not match its hash' };
			prev = r.hash;
			rows++;
			lastId = r.id;
		}
	}
}

import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only: a trigger (migration 0001) rejects UPDATE, DELETE and TRUNCATE. Each row
 *  stores the hash of its content chained to the previous row's hash. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
		actorId: uuid('actor_id'),
		actorLogin: text('actor_login'),
		action: text('action').notNull(),
		target: text('target'),
		ip: text('ip'),
		detail: jsonb('detail').$type<Record<string, unknown>>(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [index('audit_log_actor_idx').on(t.actorId), index('audit_log_action_idx').on(t.action)]
);

-- HR dashboard (src/lib/server/certificates/dashboard.ts): decisions in a date range, and the
-- "earlier effective decision of the same enrollment at the same stage" probe for first decisions.
CREATE INDEX IF NOT EXISTS "stage_decisions_decided_idx" ON "stage_decisions" USING btree ("decided_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "stage_decisions_enrollment_stage_idx" ON "stage_decisions" USING btree ("enrollment_id","stage_slug","seq");

-- Certificates are never deleted, and once issued only one change is allowed: valid → revoked,
-- recording who, when and why. Everything else on the row is frozen.
CREATE OR REPLACE FUNCTION certificate_guard() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'certificates cannot be deleted' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF OLD.status <> 'valid' OR NEW.status <> 'revoked' OR NEW.revoked_at IS NULL OR NEW.revoke_reason IS NULL
		OR NEW.id <> OLD.id OR NEW.number <> OLD.number OR NEW.verification_code <> OLD.verification_code
		OR NEW.enrollment_id <> OLD.enrollment_id OR NEW.user_id <> OLD.user_id OR NEW.cohort_id <> OLD.cohort_id
		OR NEW.decision_id <> OLD.decision_id OR NEW.program_slug <> OLD.program_slug OR NEW.program_code <> OLD.program_code
		OR NEW.program_title <> OLD.program_title OR NEW.program_title_en <> OLD.program_title_en
		OR NEW.content_version <> OLD.content_version OR NEW.issued_at <> OLD.issued_at
		OR NEW.valid_until IS DISTINCT FROM OLD.valid_until OR NEW.issued_by IS DISTINCT FROM OLD.issued_by THEN
		RAISE EXCEPTION 'a certificate can only be revoked, once, with a reason' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER certificates_guard BEFORE UPDATE OR DELETE ON certificates
	FOR EACH ROW EXECUTE FUNCTION certificate_guard();
--> statement-breakpoint
CREATE TRIGGER certificates_no_truncate BEFORE TRUNCATE ON certificates
	FOR EACH STATEMENT EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
-- HR records list, filters and dashboard.
CREATE INDEX IF NOT EXISTS "cohorts_teacher_idx" ON "cohorts" USING btree ("teacher_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "enrollments_enrolled_at_idx" ON "enrollments" USING btree ("enrolled_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "attempts_enrollment_idx" ON "attempts" USING btree ("enrollment_id", "exam_slug");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "stage_decisions_user_idx" ON "stage_decisions" USING btree ("user_id");
--> statement-breakpoint
-- Chinese name search is a substring match (ILIKE '%…%'). On PostgreSQL a trigram index serves
-- it; PGlite ships without pg_trgm loaded, so there the block does nothing and the match scans
-- the users table (20,000 short names: a few milliseconds).
DO $$
BEGIN
	CREATE EXTENSION IF NOT EXISTS pg_trgm;
	CREATE INDEX IF NOT EXISTS users_display_name_trgm_idx ON users USING gin (display_name gin_trgm_ops);
	CREATE INDEX IF NOT EXISTS users_employee_no_trgm_idx ON users USING gin (employee_no gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
	RAISE NOTICE 'pg_trgm is not available: name search runs without a trigram index';
END;
$$;

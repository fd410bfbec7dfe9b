-- Append-only tables: the application may INSERT and SELECT, never change or remove a row.
-- Enforced in the database so that no code path (or a mistaken query) can rewrite history.
CREATE OR REPLACE FUNCTION reject_row_change() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION reject_row_change();

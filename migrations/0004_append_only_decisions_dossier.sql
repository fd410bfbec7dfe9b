-- Stage decisions, dossier timeline entries and typing attempts are append-only: reuse
-- reject_row_change() from 0001. A final pre-training record is read-only; drafts stay editable.
CREATE TRIGGER stage_decisions_append_only BEFORE UPDATE OR DELETE ON stage_decisions
	FOR EACH ROW EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE TRIGGER stage_decisions_no_truncate BEFORE TRUNCATE ON stage_decisions
	FOR EACH STATEMENT EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE TRIGGER dossier_events_append_only BEFORE UPDATE OR DELETE ON dossier_events
	FOR EACH ROW EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE TRIGGER dossier_events_no_truncate BEFORE TRUNCATE ON dossier_events
	FOR EACH STATEMENT EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE TRIGGER typing_attempts_append_only BEFORE UPDATE OR DELETE ON typing_attempts
	FOR EACH ROW EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION reject_final_profile_change() RETURNS trigger AS $$
BEGIN
	IF OLD.status = 'final' THEN
		RAISE EXCEPTION 'a final pre-training record is read-only: % is not allowed', TG_OP
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER profile_records_final_read_only BEFORE UPDATE OR DELETE ON profile_records
	FOR EACH ROW EXECUTE FUNCTION reject_final_profile_change();

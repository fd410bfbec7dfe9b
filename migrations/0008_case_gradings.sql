CREATE TABLE "case_gradings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"attempt_id" uuid NOT NULL,
	"grader_id" uuid NOT NULL,
	"role" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"rubric_slug" text NOT NULL,
	"rubric_hash" text NOT NULL,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"comments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"reason" text,
	"percent" real,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "case_gradings" ADD CONSTRAINT "case_gradings_attempt_id_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_gradings" ADD CONSTRAINT "case_gradings_grader_id_users_id_fk" FOREIGN KEY ("grader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_gradings_grader_idx" ON "case_gradings" USING btree ("attempt_id","grader_id","role");--> statement-breakpoint
CREATE INDEX "case_gradings_grader_idx2" ON "case_gradings" USING btree ("grader_id");
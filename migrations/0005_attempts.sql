CREATE TABLE "attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"enrollment_id" uuid,
	"exam_slug" text NOT NULL,
	"kind" text NOT NULL,
	"stage_slug" text NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"attempt_no" integer NOT NULL,
	"state" text DEFAULT 'in_progress' NOT NULL,
	"content_hash" text NOT NULL,
	"paper" jsonb NOT NULL,
	"key" jsonb NOT NULL,
	"item_ids" text[] NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp (3) with time zone NOT NULL,
	"submitted_at" timestamp (3) with time zone,
	"submit_reason" text,
	"graded_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"released_by" uuid,
	"score" real,
	"max_score" real,
	"percent" real,
	"passed" boolean,
	"item_scores" jsonb
);
--> statement-breakpoint
CREATE TABLE "manual_grades" (
	"attempt_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"awarded" jsonb NOT NULL,
	"points" real NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"grader_id" uuid NOT NULL,
	"graded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "manual_grades_attempt_id_item_id_pk" PRIMARY KEY("attempt_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"attempt_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"value" jsonb NOT NULL,
	"seq" integer NOT NULL,
	"saved_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "responses_attempt_id_item_id_pk" PRIMARY KEY("attempt_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_grades" ADD CONSTRAINT "manual_grades_attempt_id_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_grades" ADD CONSTRAINT "manual_grades_grader_id_users_id_fk" FOREIGN KEY ("grader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_attempt_id_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attempts_user_idx" ON "attempts" USING btree ("user_id","exam_slug");--> statement-breakpoint
CREATE INDEX "attempts_exam_state_idx" ON "attempts" USING btree ("exam_slug","state");--> statement-breakpoint
CREATE UNIQUE INDEX "attempts_one_open_idx" ON "attempts" USING btree ("user_id","exam_slug") WHERE state = 'in_progress';--> statement-breakpoint
CREATE UNIQUE INDEX "attempts_no_idx" ON "attempts" USING btree ("user_id","exam_slug","round","attempt_no");
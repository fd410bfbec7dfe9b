CREATE TABLE "exam_versions" (
	"content_hash" text PRIMARY KEY NOT NULL,
	"exam_slug" text NOT NULL,
	"items" json NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);

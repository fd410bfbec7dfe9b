ALTER TABLE "attempts" ALTER COLUMN "paper" SET DATA TYPE json USING "paper"::json;--> statement-breakpoint
ALTER TABLE "attempts" ALTER COLUMN "key" SET DATA TYPE json USING "key"::json;

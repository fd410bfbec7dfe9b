-- A whole cohort starts within seconds, and compressing each ~10 KB paper snapshot was the
-- largest part of the start's insert; they are read whole and rarely, so stored as they are.
ALTER TABLE "attempts" ALTER COLUMN "paper" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "attempts" ALTER COLUMN "key" SET STORAGE EXTERNAL;

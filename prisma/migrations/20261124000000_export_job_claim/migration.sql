-- AlterTable
-- The claim a job runs under, and when it lapses unless renewed (see src/exports/claims.ts).
ALTER TABLE "export_job" ADD COLUMN     "claim_id" TEXT,
ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3);

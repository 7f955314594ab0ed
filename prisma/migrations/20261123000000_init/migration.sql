-- CreateEnum
CREATE TYPE "call_result" AS ENUM ('answered', 'no_answer', 'busy', 'failed', 'abandoned');

-- CreateEnum
CREATE TYPE "transfer_status" AS ENUM ('success', 'failed');

-- CreateEnum
CREATE TYPE "export_status" AS ENUM ('queued', 'running', 'ready', 'failed', 'expired');

-- CreateTable
CREATE TABLE "tenant" (
    "id" TEXT NOT NULL,

    CONSTRAINT "tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign" (
    "id" INTEGER NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "dtmf_actions" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead" (
    "id" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "phone" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "call_attempt" (
    "id" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "lead_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "result" "call_result" NOT NULL,
    "billsec" INTEGER NOT NULL,
    "hangup_cause" TEXT NOT NULL,
    "dtmf" TEXT,
    "script_path" TEXT[],
    "transfer_queue" TEXT,
    "transfer_status" "transfer_status",
    "disposition" TEXT,

    CONSTRAINT "call_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_job" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "report_type" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "from_date" TEXT,
    "to_date" TEXT,
    "timezone" TEXT NOT NULL,
    "status" "export_status" NOT NULL DEFAULT 'queued',
    "progress_pct" INTEGER NOT NULL DEFAULT 0,
    "estimated_seconds" INTEGER,
    "file_path" TEXT,
    "file_size" INTEGER,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "export_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "campaign_tenant_id_id_idx" ON "campaign"("tenant_id", "id");

-- CreateIndex
-- INCLUDE (which schema.prisma cannot express): the funnel matches leads from this index alone.
CREATE INDEX "lead_campaign_id_imported_at_idx" ON "lead"("campaign_id", "imported_at") INCLUDE ("id");

-- CreateIndex
-- INCLUDE (which schema.prisma cannot express) lets every report read only this index.
CREATE INDEX "call_attempt_campaign_id_started_at_idx" ON "call_attempt"("campaign_id", "started_at") INCLUDE ("result", "billsec", "transfer_status", "dtmf", "hangup_cause", "lead_id", "disposition");

-- CreateIndex
CREATE INDEX "export_job_status_created_at_idx" ON "export_job"("status", "created_at");

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_attempt" ADD CONSTRAINT "call_attempt_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_attempt" ADD CONSTRAINT "call_attempt_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_job" ADD CONSTRAINT "export_job_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_job" ADD CONSTRAINT "export_job_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

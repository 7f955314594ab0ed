-- Day rollups: the same sums as call_bucket, call_bucket_key and lead_bucket per whole UTC day, kept
-- exact by the importer in the same statements (src/import/rollups.ts). A month's report reads about
-- 30 day rows and the quarter hours of its partial first and last days, instead of 2,900 quarters.

-- CreateTable
CREATE TABLE "call_day" (
    "campaign_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "dialed" INTEGER NOT NULL,
    "answered" INTEGER NOT NULL,
    "no_answer" INTEGER NOT NULL,
    "busy" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "abandoned" INTEGER NOT NULL,
    "talk_sec" BIGINT NOT NULL,
    "transfers_succeeded" INTEGER NOT NULL,
    "transfers_attempted" INTEGER NOT NULL,

    CONSTRAINT "call_day_pkey" PRIMARY KEY ("campaign_id","bucket")
);

-- CreateTable
CREATE TABLE "call_day_key" (
    "campaign_id" INTEGER NOT NULL,
    "dimension" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "call_day_key_pkey" PRIMARY KEY ("campaign_id","dimension","bucket","key")
);

-- CreateTable
CREATE TABLE "lead_day" (
    "campaign_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "leads" INTEGER NOT NULL,

    CONSTRAINT "lead_day_pkey" PRIMARY KEY ("campaign_id","bucket")
);

-- Backfill from the quarter-hour rollups, which hold every row already imported.
INSERT INTO "call_day"
SELECT campaign_id, date_bin('1 day', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00'), sum(dialed), sum(answered),
  sum(no_answer), sum(busy), sum(failed), sum(abandoned), sum(talk_sec), sum(transfers_succeeded), sum(transfers_attempted)
FROM "call_bucket" GROUP BY 1, 2;

INSERT INTO "call_day_key"
SELECT campaign_id, dimension, date_bin('1 day', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00'), key, sum(count)
FROM "call_bucket_key" GROUP BY 1, 2, 3, 4;

INSERT INTO "lead_day"
SELECT campaign_id, date_bin('1 day', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00'), sum(leads)
FROM "lead_bucket" GROUP BY 1, 2;

-- Rollups: per campaign and 15-minute UTC bucket (of started_at, or imported_at for leads), kept
-- exact by the importer in the same transaction as the rows they summarize (src/import/rollups.ts).
-- Reports read whole buckets here and only the partial edges of a window from the raw rows.

-- CreateTable
CREATE TABLE "call_bucket" (
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

    CONSTRAINT "call_bucket_pkey" PRIMARY KEY ("campaign_id","bucket")
);

-- CreateTable
-- Counts by key: dimension 'cause' (every attempt by hangup cause), 'dtmf' (answered attempts by
-- key, 'no_input' where none) and 'path' (answered attempts by script path joined with " → ").
CREATE TABLE "call_bucket_key" (
    "campaign_id" INTEGER NOT NULL,
    "dimension" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "call_bucket_key_pkey" PRIMARY KEY ("campaign_id","dimension","bucket","key")
);

-- CreateTable
CREATE TABLE "lead_bucket" (
    "campaign_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "leads" INTEGER NOT NULL,

    CONSTRAINT "lead_bucket_pkey" PRIMARY KEY ("campaign_id","bucket")
);

-- Backfill from the rows already imported.
INSERT INTO "call_bucket"
SELECT c.campaign_id, date_bin('15 minutes', c.started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
  count(*), count(*) FILTER (WHERE c.result = 'answered'), count(*) FILTER (WHERE c.result = 'no_answer'),
  count(*) FILTER (WHERE c.result = 'busy'), count(*) FILTER (WHERE c.result = 'failed'),
  count(*) FILTER (WHERE c.result = 'abandoned'), coalesce(sum(c.billsec) FILTER (WHERE c.result = 'answered'), 0),
  count(*) FILTER (WHERE c.transfer_status = 'success'), count(c.transfer_status)
FROM "call_attempt" c GROUP BY 1, 2;

INSERT INTO "call_bucket_key"
SELECT c.campaign_id, k.dimension, date_bin('15 minutes', c.started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), k.key, count(*)
FROM "call_attempt" c
CROSS JOIN LATERAL (VALUES
  ('cause', c.hangup_cause),
  ('dtmf', CASE WHEN c.result = 'answered' THEN coalesce(c.dtmf, 'no_input') END),
  ('path', CASE WHEN c.result = 'answered' AND cardinality(c.script_path) > 0 THEN array_to_string(c.script_path, ' → ') END)
) AS k(dimension, key)
WHERE k.key IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO "lead_bucket"
SELECT l.campaign_id, date_bin('15 minutes', l.imported_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*)
FROM "lead" l GROUP BY 1, 2;

-- Two more dimensions of the key rollups, kept by the importer from now on (src/import/rollups.ts):
-- 'disposition' (attempts by agent disposition) and 'talk' (answered attempts by whole talk seconds,
-- a histogram from which talk-time percentiles are exact). Backfilled here from the calls already
-- imported, in quarter hours and whole UTC days.
INSERT INTO "call_bucket_key" (campaign_id, dimension, bucket, key, count)
SELECT c.campaign_id, k.dimension, date_bin('15 minutes', c.started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), k.key, count(*)
FROM "call_attempt" c
CROSS JOIN LATERAL (VALUES
  ('disposition', c.disposition),
  ('talk', CASE WHEN c.result = 'answered' THEN c.billsec::text END)
) AS k(dimension, key)
WHERE k.key IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO "call_day_key" (campaign_id, dimension, bucket, key, count)
SELECT campaign_id, dimension, date_bin('1 day', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00'), key, sum(count)
FROM "call_bucket_key" WHERE dimension IN ('disposition', 'talk')
GROUP BY 1, 2, 3, 4;

-- A quarter hour's talk seconds move from call_bucket_key's 'talk' rows (one row per distinct second,
-- nearly one per answered call, each upserted by every import batch) into one array on the bucket's
-- call_bucket row, which every batch writes anyway: a sixth of an import's PostgreSQL time. Whole
-- days keep their 'talk' histogram in call_day_key.
ALTER TABLE "call_bucket" ADD COLUMN "talk_secs" INTEGER[] DEFAULT '{}';

-- A bucket's talk seconds plus a delta in which a removed second s is written -1 - s (a re-imported
-- call leaves its old bucket): appended when nothing is removed, else as a multiset difference.
CREATE FUNCTION talk_secs_plus(secs INTEGER[], delta INTEGER[]) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN 0 <= ALL (delta) THEN coalesce(secs, '{}') || delta
    ELSE ARRAY(
      SELECT s FROM unnest(coalesce(secs, '{}') || delta) AS s WHERE s >= 0
      EXCEPT ALL
      SELECT -1 - s FROM unnest(delta) AS s WHERE s < 0)
  END
$$;

UPDATE "call_bucket" b SET talk_secs = t.secs
FROM (
  SELECT k.campaign_id, k.bucket, array_agg(k.key::int ORDER BY k.key::int) AS secs
  FROM "call_bucket_key" k CROSS JOIN LATERAL generate_series(1, k.count)
  WHERE k.dimension = 'talk'
  GROUP BY 1, 2
) t
WHERE b.campaign_id = t.campaign_id AND b.bucket = t.bucket;

DELETE FROM "call_bucket_key" WHERE dimension = 'talk';

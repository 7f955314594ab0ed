-- A quarter hour's talk seconds leave call_bucket for a table of their own. With them, a bucket row
-- was about 1.7 kB (four rows a page, and after the updates of live ingests about one a page), so a
-- month's heatmap read some 1,560 pages for 1,560 rows; without them, a row is under 100 bytes.
CREATE TABLE "call_bucket_talk" (
    "campaign_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "talk_secs" INTEGER[],

    CONSTRAINT "call_bucket_talk_pkey" PRIMARY KEY ("campaign_id","bucket")
);

-- Room on each page for HOT updates, as for the other rollups (see 20261202030000_rollup_fillfactor).
ALTER TABLE "call_bucket_talk" SET (fillfactor = 70);

INSERT INTO "call_bucket_talk" (campaign_id, bucket, talk_secs)
SELECT campaign_id, bucket, talk_secs FROM "call_bucket" WHERE cardinality(talk_secs) > 0;

ALTER TABLE "call_bucket" DROP COLUMN "talk_secs";

-- Dropping a column leaves its values in the rows until they are written again: rewrite the table,
-- in the order the reports read it.
CLUSTER "call_bucket" USING "call_bucket_pkey";

-- The funnel's state: per (lead, campaign) what its attempts add up to, and per campaign how many
-- dialed leads share each funnel profile. Kept exact by the importer in the statement that writes
-- the calls (src/import/rollups.ts); a whole-campaign funnel sums a handful of profiles.

-- CreateTable
CREATE TABLE "lead_progress" (
    "lead_id" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "answered" INTEGER NOT NULL,
    "key_counts" INTEGER[],
    "transferred" INTEGER NOT NULL,
    "disposed" INTEGER NOT NULL,

    CONSTRAINT "lead_progress_pkey" PRIMARY KEY ("lead_id","campaign_id")
);

-- CreateTable
CREATE TABLE "funnel_profile" (
    "campaign_id" INTEGER NOT NULL,
    "answered" BOOLEAN NOT NULL,
    "keys_pressed" INTEGER NOT NULL,
    "transferred" BOOLEAN NOT NULL,
    "disposed" BOOLEAN NOT NULL,
    "leads" INTEGER NOT NULL,

    CONSTRAINT "funnel_profile_pkey" PRIMARY KEY ("campaign_id","answered","keys_pressed","transferred","disposed")
);

-- Backfill from the calls already imported. key_counts lists answered attempts by key 0-9, *, #.
INSERT INTO "lead_progress"
SELECT c.lead_id, c.campaign_id, count(*), count(*) FILTER (WHERE c.result = 'answered'),
  ARRAY[
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '0')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '1')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '2')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '3')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '4')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '5')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '6')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '7')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '8')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '9')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '*')::int,
    count(*) FILTER (WHERE c.result = 'answered' AND c.dtmf = '#')::int
  ],
  count(*) FILTER (WHERE c.transfer_status = 'success'), count(c.disposition)
FROM "call_attempt" c GROUP BY 1, 2;

INSERT INTO "funnel_profile"
SELECT p.campaign_id, p.answered > 0,
  (SELECT coalesce(bit_or(1 << (k.i::int - 1)), 0) FROM unnest(p.key_counts) WITH ORDINALITY AS k(n, i) WHERE k.n > 0),
  p.transferred > 0, p.disposed > 0, count(*)
FROM "lead_progress" p GROUP BY 1, 2, 3, 4, 5;

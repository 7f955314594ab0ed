// SQL that keeps the rollup tables (see the rollups migration) exact. Each takes the rows a write
// replaced (`old`, with sign -1) and the rows it wrote (`new`, +1) and adds the difference to their
// buckets, so re-importing a call with other values moves it between buckets and keys correctly.
// It runs in the statement that writes the rows, which sees the replaced rows in its snapshot.

/** The 15-minute UTC bucket of an instant; every UTC offset in use today is a multiple of 15 minutes. */
export const bucketOf = (column: string) => `date_bin('15 minutes', ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

const signedWhen = (condition: string) => `sum(CASE WHEN ${condition} THEN d.sign ELSE 0 END)`;

/** The columns of a call the rollups read, in the order `old_calls` and `new_calls` list them. */
export const CALL_ROLLUP_COLUMNS = 'campaign_id, started_at, result, billsec, transfer_status, dtmf, hangup_cause, script_path';

/** CTEs `call_changes` (from `old_calls` and `new_calls`) and the two upserts into the call rollups. */
export const CALL_ROLLUP_CTES = `
call_changes AS (
  SELECT -1 AS sign, * FROM old_calls
  UNION ALL
  SELECT 1 AS sign, * FROM new_calls
),
bucket_delta AS (
  INSERT INTO call_bucket AS t (campaign_id, bucket, dialed, answered, no_answer, busy, failed, abandoned, talk_sec,
    transfers_succeeded, transfers_attempted)
  SELECT d.campaign_id, ${bucketOf('d.started_at')}, sum(d.sign),
    ${signedWhen("d.result = 'answered'")}, ${signedWhen("d.result = 'no_answer'")}, ${signedWhen("d.result = 'busy'")},
    ${signedWhen("d.result = 'failed'")}, ${signedWhen("d.result = 'abandoned'")},
    sum(CASE WHEN d.result = 'answered' THEN d.sign * d.billsec ELSE 0 END),
    ${signedWhen("d.transfer_status = 'success'")}, ${signedWhen('d.transfer_status IS NOT NULL')}
  FROM call_changes d GROUP BY 1, 2
  ON CONFLICT (campaign_id, bucket) DO UPDATE SET
    dialed = t.dialed + EXCLUDED.dialed,
    answered = t.answered + EXCLUDED.answered,
    no_answer = t.no_answer + EXCLUDED.no_answer,
    busy = t.busy + EXCLUDED.busy,
    failed = t.failed + EXCLUDED.failed,
    abandoned = t.abandoned + EXCLUDED.abandoned,
    talk_sec = t.talk_sec + EXCLUDED.talk_sec,
    transfers_succeeded = t.transfers_succeeded + EXCLUDED.transfers_succeeded,
    transfers_attempted = t.transfers_attempted + EXCLUDED.transfers_attempted
),
key_delta AS (
  INSERT INTO call_bucket_key AS t (campaign_id, dimension, bucket, key, count)
  SELECT d.campaign_id, k.dimension, ${bucketOf('d.started_at')}, k.key, sum(d.sign)
  FROM call_changes d
  CROSS JOIN LATERAL (VALUES
    ('cause', d.hangup_cause),
    ('dtmf', CASE WHEN d.result = 'answered' THEN coalesce(d.dtmf, 'no_input') END),
    ('path', CASE WHEN d.result = 'answered' AND cardinality(d.script_path) > 0 THEN array_to_string(d.script_path, ' → ') END)
  ) AS k(dimension, key)
  WHERE k.key IS NOT NULL
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0
  ON CONFLICT (campaign_id, dimension, bucket, key) DO UPDATE SET count = t.count + EXCLUDED.count
)`;

/** CTEs that add the difference between `old_leads` and `new_leads` to lead_bucket. */
export const LEAD_ROLLUP_CTES = `
lead_delta AS (
  INSERT INTO lead_bucket AS t (campaign_id, bucket, leads)
  SELECT d.campaign_id, ${bucketOf('d.imported_at')}, sum(d.sign)
  FROM (SELECT -1 AS sign, * FROM old_leads UNION ALL SELECT 1 AS sign, * FROM new_leads) d
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0
  ON CONFLICT (campaign_id, bucket) DO UPDATE SET leads = t.leads + EXCLUDED.leads
)`;

// SQL that keeps the rollup tables (see the rollups migration) exact. Each takes the rows a write
// replaced (`old`, with sign -1) and the rows it wrote (`new`, +1) and adds the difference to their
// buckets, so re-importing a call with other values moves it between buckets and keys correctly.
// It runs in the statement that writes the rows, which sees the replaced rows in its snapshot.

/**
 * The rollups come in two sizes: 15-minute UTC buckets (every UTC offset in use today is a multiple
 * of 15 minutes) and whole UTC days, which spare a long window's report most of its rows.
 */
const SIZES = [
  { width: '15 minutes', calls: 'call_bucket', keys: 'call_bucket_key', leads: 'lead_bucket' },
  { width: '1 day', calls: 'call_day', keys: 'call_day_key', leads: 'lead_day' },
] as const;
type Size = (typeof SIZES)[number];

const bucketOf = (column: string, size: Size) => `date_bin('${size.width}', ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

const signedWhen = (condition: string) => `sum(CASE WHEN ${condition} THEN d.sign ELSE 0 END)`;

/** The columns of a call the rollups read, in the order `old_calls` and `new_calls` list them. */
export const CALL_ROLLUP_COLUMNS =
  'campaign_id, lead_id, started_at, result, billsec, transfer_status, dtmf, hangup_cause, script_path, disposition';

/** The keys a callee can press, in the order of lead_progress.key_counts and funnel_profile.keys_pressed's bits. */
export const DTMF_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

// Per-key expressions are spelled out key by key: an unnest() subquery per row was half of what
// keeping the funnel's state cost an import.

/** funnel_profile.keys_pressed of a lead_progress row `p`: bit i set when key i was pressed. */
const KEYS_PRESSED = `(${DTMF_KEYS.map((_, i) => `CASE WHEN p.key_counts[${i + 1}] > 0 THEN ${1 << i} ELSE 0 END`).join(' | ')})`;

/** Two key_counts arrays added key by key. */
const addKeyCounts = (a: string, b: string) => `ARRAY[${DTMF_KEYS.map((_, i) => `${a}[${i + 1}] + ${b}[${i + 1}]`).join(', ')}]`;

// The funnel counts distinct leads, which buckets cannot sum. Instead each (lead, campaign) keeps
// counts of its attempts (lead_progress), and each campaign how many dialed leads share each
// combination of "answered", keys pressed, "transferred" and "disposed" (funnel_profile): a
// whole-campaign funnel is a sum over a handful of profiles.
const LEAD_PROGRESS_CTES = `
progress_delta AS (
  SELECT d.campaign_id, d.lead_id, sum(d.sign)::int AS attempts, ${signedWhen("d.result = 'answered'")}::int AS answered,
    ARRAY[${DTMF_KEYS.map((key) => `${signedWhen(`d.result = 'answered' AND d.dtmf = '${key}'`)}::int`).join(', ')}] AS key_counts,
    ${signedWhen("d.transfer_status = 'success'")}::int AS transferred,
    ${signedWhen('d.disposition IS NOT NULL')}::int AS disposed
  FROM call_changes d GROUP BY 1, 2
),
progress_changes AS (
  SELECT * FROM progress_delta
  WHERE attempts <> 0 OR answered <> 0 OR transferred <> 0 OR disposed <> 0 OR key_counts <> array_fill(0, ARRAY[${DTMF_KEYS.length}])
),
-- The changed leads' rows as they were: every part of the statement sees the tables as they were
-- before it, so this reads them before new_progress's update whatever order they run in.
old_progress AS (
  SELECT p.* FROM progress_changes d
  CROSS JOIN LATERAL (SELECT * FROM lead_progress p WHERE p.lead_id = d.lead_id AND p.campaign_id = d.campaign_id OFFSET 0) AS p
),
new_progress AS (
  INSERT INTO lead_progress AS t (lead_id, campaign_id, attempts, answered, key_counts, transferred, disposed)
  SELECT lead_id, campaign_id, attempts, answered, key_counts, transferred, disposed FROM progress_changes
  ON CONFLICT (lead_id, campaign_id) DO UPDATE SET
    attempts = t.attempts + EXCLUDED.attempts,
    answered = t.answered + EXCLUDED.answered,
    key_counts = ${addKeyCounts('t.key_counts', 'EXCLUDED.key_counts')},
    transferred = t.transferred + EXCLUDED.transferred,
    disposed = t.disposed + EXCLUDED.disposed
  RETURNING *
),
profile_delta AS (
  INSERT INTO funnel_profile AS t (campaign_id, answered, keys_pressed, transferred, disposed, leads)
  SELECT p.campaign_id, p.answered > 0, ${KEYS_PRESSED}, p.transferred > 0, p.disposed > 0, sum(p.sign)
  FROM (
    SELECT -1 AS sign, o.* FROM old_progress o
    UNION ALL
    SELECT 1 AS sign, n.* FROM new_progress n
  ) p
  WHERE p.attempts > 0
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(p.sign) <> 0
  ON CONFLICT (campaign_id, answered, keys_pressed, transferred, disposed) DO UPDATE SET leads = t.leads + EXCLUDED.leads
)`;

/** The columns call_bucket and call_day share: sums of their calls. */
export const CALL_SUMS = ['dialed', 'answered', 'no_answer', 'busy', 'failed', 'abandoned', 'talk_sec', 'transfers_succeeded', 'transfers_attempted'];

/**
 * The keys counted per dimension, and which calls have one. Each dimension is grouped on its own:
 * turning every call into a row per dimension first (a LATERAL VALUES list) and grouping those
 * made the whole statement 5 % slower.
 */
const KEY_DIMENSIONS = [
  { dimension: 'cause', key: 'd.hangup_cause', when: 'd.hangup_cause IS NOT NULL' },
  { dimension: 'dtmf', key: "coalesce(d.dtmf, 'no_input')", when: "d.result = 'answered'" },
  { dimension: 'path', key: "array_to_string(d.script_path, ' → ')", when: "d.result = 'answered' AND cardinality(d.script_path) > 0" },
  { dimension: 'disposition', key: 'd.disposition', when: 'd.disposition IS NOT NULL' },
];

// The calls' quarter-hour deltas are computed once from the changed rows (`call_bucket_rows`,
// `call_bucket_key_rows`, `call_bucket_talk_rows`); the day rollups sum those instead of the rows
// again, and count their 'talk' keys from the quarter hours' talk seconds.
const CALL_DELTA_ROWS = `
call_bucket_rows AS (
  SELECT d.campaign_id, ${bucketOf('d.started_at', SIZES[0])} AS bucket, sum(d.sign) AS dialed,
    ${signedWhen("d.result = 'answered'")} AS answered, ${signedWhen("d.result = 'no_answer'")} AS no_answer,
    ${signedWhen("d.result = 'busy'")} AS busy, ${signedWhen("d.result = 'failed'")} AS failed,
    ${signedWhen("d.result = 'abandoned'")} AS abandoned,
    sum(CASE WHEN d.result = 'answered' THEN d.sign * d.billsec ELSE 0 END) AS talk_sec,
    ${signedWhen("d.transfer_status = 'success'")} AS transfers_succeeded,
    ${signedWhen('d.transfer_status IS NOT NULL')} AS transfers_attempted
  FROM call_changes d GROUP BY 1, 2
),
call_bucket_talk_seconds AS (
  SELECT d.campaign_id, ${bucketOf('d.started_at', SIZES[0])} AS bucket, d.billsec AS sec, sum(d.sign)::int AS count
  FROM call_changes d WHERE d.result = 'answered' GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0
),
call_bucket_talk_rows AS (
  SELECT campaign_id, bucket, array_agg(sec ORDER BY sec) AS talk_secs, array_agg(count ORDER BY sec) AS talk_counts
  FROM call_bucket_talk_seconds GROUP BY 1, 2
),
call_bucket_key_rows AS (
${KEY_DIMENSIONS.map(
  ({ dimension, key, when }) => `  SELECT d.campaign_id, '${dimension}' AS dimension, ${bucketOf('d.started_at', SIZES[0])} AS bucket, ${key} AS key, sum(d.sign)::int AS count
  FROM call_changes d WHERE ${when} GROUP BY 1, 3, 4 HAVING sum(d.sign) <> 0`,
).join('\n  UNION ALL\n')}
)`;

// A quarter hour's deltas as they are, its talk seconds into call_bucket_talk's histogram (calls
// that left it counted below zero, see the talk_histogram_plus function); a day's, the sum of its
// quarter hours', and its talk seconds as 'talk' keys.
const callSource = (size: Size) =>
  size === SIZES[0]
    ? `SELECT campaign_id, bucket, ${CALL_SUMS.join(', ')} FROM call_bucket_rows`
    : `SELECT campaign_id, ${bucketOf('bucket', size)}, ${CALL_SUMS.map((column) => `sum(${column})`).join(', ')}
       FROM call_bucket_rows GROUP BY 1, 2`;

const keySource = (size: Size) =>
  size === SIZES[0]
    ? 'SELECT campaign_id, dimension, bucket, key, count FROM call_bucket_key_rows'
    : `SELECT campaign_id, dimension, ${bucketOf('bucket', size)}, key, sum(count)
       FROM call_bucket_key_rows GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0
       UNION ALL
       SELECT campaign_id, 'talk', ${bucketOf('bucket', size)}, sec::text, sum(count)
       FROM call_bucket_talk_seconds GROUP BY 1, 3, 4 HAVING sum(count) <> 0`;

const callDeltas = (size: Size) => `
${size.calls}_delta AS (
  INSERT INTO ${size.calls} AS t (campaign_id, bucket, ${CALL_SUMS.join(', ')})
  ${callSource(size)}
  ON CONFLICT (campaign_id, bucket) DO UPDATE SET
    ${CALL_SUMS.map((column) => `${column} = t.${column} + EXCLUDED.${column}`).join(',\n    ')}
),${
  size === SIZES[0]
    ? `
call_bucket_talk_delta AS (
  INSERT INTO call_bucket_talk AS t (campaign_id, bucket, talk_secs, talk_counts)
  SELECT campaign_id, bucket, talk_secs, talk_counts FROM call_bucket_talk_rows
  ON CONFLICT (campaign_id, bucket) DO UPDATE SET (talk_secs, talk_counts) =
    (SELECT * FROM talk_histogram_plus(t.talk_secs, t.talk_counts, EXCLUDED.talk_secs, EXCLUDED.talk_counts))
),`
    : ''
}
${size.keys}_delta AS (
  INSERT INTO ${size.keys} AS t (campaign_id, dimension, bucket, key, count)
  ${keySource(size)}
  ON CONFLICT (campaign_id, dimension, bucket, key) DO UPDATE SET count = t.count + EXCLUDED.count
)`;

/** CTEs `call_changes` (from `old_calls` and `new_calls`) and the upserts into the call rollups. */
export const CALL_ROLLUP_CTES = `
call_changes AS (
  SELECT -1 AS sign, * FROM old_calls
  UNION ALL
  SELECT 1 AS sign, * FROM new_calls
),
${CALL_DELTA_ROWS},
${SIZES.map(callDeltas).join(',')},
${LEAD_PROGRESS_CTES}`;

/** CTEs that add the difference between `old_leads` and `new_leads` to the lead rollups. */
export const LEAD_ROLLUP_CTES = `
lead_changes AS (
  SELECT -1 AS sign, * FROM old_leads UNION ALL SELECT 1 AS sign, * FROM new_leads
),
${SIZES.map(
  (size) => `${size.leads}_delta AS (
  INSERT INTO ${size.leads} AS t (campaign_id, bucket, leads)
  SELECT d.campaign_id, ${bucketOf('d.imported_at', size)}, sum(d.sign)
  FROM lead_changes d
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0
  ON CONFLICT (campaign_id, bucket) DO UPDATE SET leads = t.leads + EXCLUDED.leads
)`,
).join(',\n')}`;

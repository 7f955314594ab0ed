import type { SqlTransaction } from '../db/client.js';
import type { CallRecord, CampaignRecord, LeadRecord } from './records.js';
import { CALL_ROLLUP_COLUMNS, CALL_ROLLUP_CTES, LEAD_ROLLUP_CTES } from './rollups.js';

type Tx = SqlTransaction;

// A batch costs one statement per table, whatever its size, on both the embedded and the server
// database: campaigns travel as one JSON parameter, leads and calls as one typed array per column.
// The statements that write leads and calls also bring the rollups up to date (./rollups.ts).

export async function upsertCampaigns(tx: Tx, campaigns: CampaignRecord[]): Promise<void> {
  if (campaigns.length === 0) return;
  const rows = JSON.stringify(campaigns);
  await tx.$executeRawUnsafe(
    `INSERT INTO tenant (id)
     SELECT DISTINCT r.tenant_id FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id text)
     ON CONFLICT (id) DO NOTHING`,
    rows,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO campaign (id, tenant_id, name, started_at, dtmf_actions)
     SELECT r.id, r.tenant_id, r.name, r.started_at, r.dtmf_actions
     FROM jsonb_to_recordset($1::jsonb) AS r(id int, tenant_id text, name text, started_at timestamptz, dtmf_actions jsonb)
     ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, name = EXCLUDED.name,
       started_at = EXCLUDED.started_at, dtmf_actions = EXCLUDED.dtmf_actions`,
    rows,
  );
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * A PostgreSQL array literal: {"a","b",NULL}. Columns travel as typed arrays unpacked by unnest(),
 * which PostgreSQL parses several times faster than a JSON document of the same rows.
 */
export function pgArray(values: readonly (string | number | null | undefined)[]): string {
  // Numbers need no quotes and few texts need escapes: skipping both halves the time this takes.
  const items = values.map((value) =>
    value === null || value === undefined
      ? 'NULL'
      : typeof value === 'number'
        ? String(value)
        : NEEDS_ESCAPE.test(value)
          ? `"${value.replace(/["\\]/g, '\\$&')}"`
          : `"${value}"`,
  );
  return `{${items.join(',')}}`;
}

/**
 * The rows `t` of `table` whose text `column` is one of the ids in $1, each found by one index
 * lookup and locked (`lock`) in the array's order: `column = ANY($1)`, or a join the planner may
 * reorder (OFFSET 0 forbids it), scans the whole table for a batch's thousands of ids, and the
 * table grows with every batch.
 */
const rowsOfIds = (table: string, column: string, lock = '', ids = '$1') =>
  `unnest(${ids}::text[]) AS i(id) CROSS JOIN LATERAL (SELECT * FROM ${table} t WHERE t.${column} = i.id OFFSET 0 ${lock}) AS t`;

/** Ids in the one order every writer locks them in, so two writers never wait on each other in a circle. */
const lockOrder = (ids: string[]) => pgArray([...ids].sort());

/** Script paths travel as one text per call, nodes joined by the ASCII unit separator. */
export const PATH_SEPARATOR = '\u001f';

/**
 * What a statement that writes rows of a table does with rows already there: `new`, none are (a
 * plain INSERT: checking each row against the key twice, as ON CONFLICT does, cost a fifth of the
 * writing), or `stored`, all are, and their old values leave the rollups as the new ones enter.
 */
export type Rows = 'new' | 'stored';

/** Records as the parameters of the statement that writes them: a PostgreSQL array literal per column. */
export interface Columns {
  count: number;
  arrays: string[];
}

type ColumnOf<T> = (record: T) => string | number | null | undefined;
const encode = <T>(records: T[], picks: ColumnOf<T>[]): Columns => ({ count: records.length, arrays: picks.map((pick) => pgArray(records.map(pick))) });

const LEAD_PICKS: ColumnOf<LeadRecord>[] = [(lead) => lead.id, (lead) => lead.campaign_id, (lead) => lead.phone, (lead) => lead.imported_at];
export const leadColumns = (leads: LeadRecord[]) => encode(leads, LEAD_PICKS);

/** In the order of CALL_COLUMNS. */
const CALL_PICKS: ColumnOf<CallRecord>[] = [
  (call) => call.id,
  (call) => call.campaign_id,
  (call) => call.lead_id,
  (call) => call.started_at,
  (call) => call.answered_at,
  (call) => call.ended_at,
  (call) => call.result,
  (call) => call.billsec,
  (call) => call.hangup_cause,
  (call) => call.dtmf,
  (call) => (call.script_path?.length ? call.script_path.join(PATH_SEPARATOR) : null),
  (call) => call.transfer?.queue,
  (call) => call.transfer?.status,
  (call) => call.disposition,
];
export const callColumns = (calls: CallRecord[]) => encode(calls, CALL_PICKS);

export async function writeLeads(tx: Tx, leads: Columns, rows: Rows): Promise<void> {
  if (leads.count === 0) return;
  await tx.$executeRawUnsafe(
    `WITH incoming AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[]) AS r(id, campaign_id, phone, imported_at)
     ),
     old_leads AS (SELECT t.campaign_id, t.imported_at FROM ${rows === 'stored' ? rowsOfIds('lead', 'id') : 'lead t WHERE false'}),
     new_leads AS (
       INSERT INTO lead (id, campaign_id, phone, imported_at) SELECT * FROM incoming
       ${rows === 'stored' ? 'ON CONFLICT (id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id, phone = EXCLUDED.phone, imported_at = EXCLUDED.imported_at' : ''}
       RETURNING campaign_id, imported_at
     ),
     ${LEAD_ROLLUP_CTES}
     SELECT 1`,
    ...leads.arrays,
  );
}

/** The columns of call_attempt an import writes, in the order a call row source lists them. */
export const CALL_COLUMNS =
  'id, campaign_id, lead_id, started_at, answered_at, ended_at, result, billsec, hangup_cause, dtmf, script_path, transfer_queue, transfer_status, disposition';

/**
 * The statement that writes the calls of `source` (rows `r` with CALL_COLUMNS; result and transfer
 * status as text, script paths as one text joined by PATH_SEPARATOR) and brings the rollups up to
 * date. The bench times it on calls COPYed to the server, to tell PostgreSQL's share of an import.
 */
export function writeCallsSql(source: string, rows: Rows): string {
  return `WITH old_calls AS (
       SELECT ${CALL_ROLLUP_COLUMNS} FROM ${rows === 'stored' ? rowsOfIds('call_attempt', 'id') : 'call_attempt t WHERE false'}
     ),
     new_calls AS (
     INSERT INTO call_attempt (${CALL_COLUMNS})
     SELECT r.id, r.campaign_id, r.lead_id, r.started_at, r.answered_at, r.ended_at, r.result::call_result,
       r.billsec, r.hangup_cause, r.dtmf, coalesce(string_to_array(r.script_path, E'\\x1f'), '{}'),
       r.transfer_queue, r.transfer_status::transfer_status, r.disposition
     FROM ${source}
     ${
       rows === 'stored'
         ? `ON CONFLICT (id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id, lead_id = EXCLUDED.lead_id,
       started_at = EXCLUDED.started_at, answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
       result = EXCLUDED.result, billsec = EXCLUDED.billsec, hangup_cause = EXCLUDED.hangup_cause,
       dtmf = EXCLUDED.dtmf, script_path = EXCLUDED.script_path, transfer_queue = EXCLUDED.transfer_queue,
       transfer_status = EXCLUDED.transfer_status, disposition = EXCLUDED.disposition`
         : ''
     }
     RETURNING ${CALL_ROLLUP_COLUMNS}
     ),
     ${CALL_ROLLUP_CTES}
     SELECT 1`;
}

export async function writeCalls(tx: Tx, calls: Columns, rows: Rows): Promise<void> {
  if (calls.count === 0) return;
  await tx.$executeRawUnsafe(
    writeCallsSql(
      `unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
       $7::text[], $8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) AS r(${CALL_COLUMNS})`,
      rows,
    ),
    ...calls.arrays,
  );
}

/**
 * For a batch's calls, in one statement: the campaign of each of `leadIds` that exists (share-locked),
 * and which of `callIds` are stored already (locked until the transaction ends).
 */
export async function findCallsAndLeads(tx: Tx, leadIds: string[], callIds: string[]): Promise<{ leadCampaigns: Map<string, number>; storedCalls: Set<string> }> {
  if (leadIds.length === 0 && callIds.length === 0) return { leadCampaigns: new Map(), storedCalls: new Set() };
  const rows = await tx.$queryRawUnsafe<{ kind: 'lead' | 'call'; id: string; campaign_id: number | null }[]>(
    `SELECT 'lead' AS kind, t.id, t.campaign_id FROM ${rowsOfIds('lead', 'id', 'FOR SHARE')}
     UNION ALL
     SELECT 'call', t.id, NULL FROM ${rowsOfIds('call_attempt', 'id', 'FOR UPDATE', '$2')}`,
    lockOrder(leadIds),
    lockOrder(callIds),
  );
  const leadCampaigns = new Map<string, number>();
  const storedCalls = new Set<string>();
  for (const row of rows) {
    if (row.kind === 'lead') leadCampaigns.set(row.id, row.campaign_id!);
    else storedCalls.add(row.id);
  }
  return { leadCampaigns, storedCalls };
}

/**
 * Of these leads, those stored already, each with the campaign its calls are in (null when it has
 * none). The leads stay locked until the transaction ends, and findCallsAndLeads share-locks the
 * leads it reads: so a lead cannot move to another campaign while calls of it are being written,
 * nor calls arrive while it moves.
 */
export async function findStoredLeads(tx: Tx, leadIds: string[]): Promise<Map<string, number | null>> {
  if (leadIds.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<{ id: string; dialed_in: number | null }[]>(
    `SELECT t.id, p.campaign_id AS dialed_in FROM ${rowsOfIds('lead', 'id', 'FOR UPDATE')}
     LEFT JOIN LATERAL (SELECT p.campaign_id FROM lead_progress p WHERE p.lead_id = t.id AND p.attempts > 0 LIMIT 1) AS p ON true`,
    lockOrder(leadIds),
  );
  return new Map(rows.map((row) => [row.id, row.dialed_in]));
}

export async function findCampaignTenants(tx: Pick<Tx, '$queryRawUnsafe'>): Promise<Map<number, string>> {
  const rows = await tx.$queryRawUnsafe<{ id: number; tenant_id: string }[]>('SELECT id, tenant_id FROM campaign');
  return new Map(rows.map((row) => [row.id, row.tenant_id]));
}

/**
 * Starts a batch's transaction, in one statement: its commit will not wait for the WAL flush
 * (nothing is gained by it here: a re-import repairs any loss), and it locks the campaigns the
 * batch is about to write, in id order (so two batches never deadlock), stamping them changed
 * (Campaign.dataUpdatedAt) unless `stampLater` (the batch creates campaigns: markCampaignsChanged
 * after them). Writers of one campaign take turns, and each reads the rows the previous one
 * committed, which keeps the rollups' "subtract the old, add the new" exact when two imports
 * rewrite the same call at once. Returns the owners of the campaigns that exist, and the retention
 * cutoffs of those that have one (read under the same lock, so no call before a new cutoff slips in).
 */
export async function beginBatch(tx: Tx, campaignIds: number[], stampLater: boolean): Promise<LockedCampaigns> {
  const rows = await tx.$queryRawUnsafe<{ id: number | null; tenant_id: string | null; calls_removed_before: Date | null }[]>(
    `WITH settings AS (SELECT set_config('synchronous_commit', 'off', true)),
       locked AS (SELECT id, tenant_id, calls_removed_before FROM campaign WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE)
       ${stampLater ? '' : ', stamped AS (UPDATE campaign c SET data_updated_at = now() FROM locked WHERE c.id = locked.id)'}
     -- settings first: a join whose first side is empty would never read the second.
     SELECT locked.id, locked.tenant_id, locked.calls_removed_before FROM settings LEFT JOIN locked ON true`,
    pgArray(campaignIds),
  );
  const found = rows.filter((row) => row.id !== null);
  return {
    owners: new Map(found.map((row) => [row.id!, row.tenant_id!])),
    removedBefore: new Map(found.filter((row) => row.calls_removed_before !== null).map((row) => [row.id!, new Date(row.calls_removed_before!).getTime()])),
  };
}

/** The campaigns a batch locked: their owners, and where retention removed calls, the cutoff (epoch ms). */
export interface LockedCampaigns {
  owners: Map<number, string>;
  removedBefore: Map<number, number>;
}

/** Stamps the campaigns a batch wrote (Campaign.dataUpdatedAt). */
export async function markCampaignsChanged(tx: Tx, campaignIds: number[]): Promise<void> {
  if (campaignIds.length === 0) return;
  await tx.$executeRawUnsafe('UPDATE campaign SET data_updated_at = now() WHERE id = ANY($1::int[])', pgArray(campaignIds));
}

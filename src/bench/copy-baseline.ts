import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { POSTGRES_SESSION_OPTIONS } from '../db/client.js';
import { CALL_COLUMNS, pgArray, writeCallsSql } from '../import/batch-writer.js';
import { readLines, type UnreadableLine } from '../import/lines.js';
import type { CallRecord } from '../import/records.js';

// The import's yardsticks: the same call lines COPYed into a table shaped like call_attempt with no
// index, no foreign key and no rollup, the fastest PostgreSQL takes these rows at all; and from that
// table, PostgreSQL's share of an import alone: the importer's statement, every rollup kept, with
// nothing left to parse, send or validate.

/** Calls a statement of the rollup yardstick writes (the importer's batches hold 100,000 records). */
const STAGED_BATCH = 100_000;

/** A value in COPY's text format: \N for NULL, backslash escapes for the separators. */
const copyText = (value: string | number | null | undefined) =>
  value === null || value === undefined ? '\\N' : String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

function copyRow(call: CallRecord): string {
  const fields = [
    call.id, call.campaign_id, call.lead_id, call.started_at, call.answered_at, call.ended_at, call.result, call.billsec,
    call.hangup_cause, call.dtmf, call.script_path ? pgArray(call.script_path) : null, call.transfer?.queue, call.transfer?.status,
    call.disposition,
  ];
  return `${fields.map(copyText).join('\t')}\n`;
}

/**
 * COPYs the calls of an NDJSON file into a bare temporary table and returns calls per second. The
 * rows are put in COPY's format first, untimed: the figure is PostgreSQL's COPY alone. Then the
 * calls per second of writing them from that table with every rollup (writeFromStaging).
 */
export async function copyCallsPerSecond(
  url: string,
  ndjsonFile: string,
): Promise<{ calls: number; perSecond: number; withRollupsPerSecond: number }> {
  return withStagedCalls(url, ndjsonFile, {}, async (client, calls, copySeconds) => ({
    calls,
    perSecond: Math.round(calls / copySeconds),
    withRollupsPerSecond: await writeFromStaging(client, calls, { emptyFirst: true }),
  }));
}

/**
 * PostgreSQL's share of an import into the tables as they now are: the first `sample` calls of an
 * NDJSON file already imported, written by the importer's statement with every rollup kept, in a
 * transaction rolled back after. Under new ids and ten years later, so that their rows land as the
 * file's own did when it came after everything stored (at the end of the time index), and leave
 * nothing behind once vacuumed. Calls per second.
 */
export async function storedTablesCallsPerSecond(url: string, ndjsonFile: string, sample: number): Promise<number> {
  return withStagedCalls(url, ndjsonFile, { limit: sample, idPrefix: 'Y-', laterByYears: 10 }, (client, calls) => writeFromStaging(client, calls, { emptyFirst: false }));
}

/** The calls of an NDJSON file (the first `limit`, ids prefixed, times moved on) in a temporary table bare_call, for `use` with the time their COPY took. */
async function withStagedCalls<T>(
  url: string,
  ndjsonFile: string,
  { limit = Infinity, idPrefix = '', laterByYears = 0 }: { limit?: number; idPrefix?: string; laterByYears?: number },
  use: (client: pg.Client, calls: number, copySeconds: number) => Promise<T>,
): Promise<T> {
  const copyFile = `${ndjsonFile}.copy`;
  let calls = 0;
  await pipeline(
    readLines(fs.createReadStream(ndjsonFile)),
    async function* (lines: AsyncIterable<string | UnreadableLine>) {
      for await (const line of lines) {
        if (typeof line !== 'string' || line === '') continue;
        const record = JSON.parse(line) as CallRecord | { type: string };
        if (record.type !== 'call' || calls === limit) continue;
        calls += 1;
        const call = record as CallRecord;
        const later = (time: string | null | undefined) => time && new Date(new Date(time).setUTCFullYear(new Date(time).getUTCFullYear() + laterByYears)).toISOString();
        yield copyRow({ ...call, id: `${idPrefix}${call.id}`, started_at: later(call.started_at)!, answered_at: later(call.answered_at), ended_at: later(call.ended_at)! });
      }
    },
    fs.createWriteStream(copyFile),
  );
  // Set up as the importer's connections are, so the rollup yardstick runs its statement alike.
  const client = new pg.Client({ connectionString: url, options: POSTGRES_SESSION_OPTIONS });
  await client.connect();
  try {
    await client.query('CREATE TEMPORARY TABLE bare_call (LIKE call_attempt)');
    const start = performance.now();
    await pipeline(fs.createReadStream(copyFile), client.query(copyFrom('COPY bare_call FROM STDIN')));
    return await use(client, calls, (performance.now() - start) / 1000);
  } finally {
    await client.end();
    fs.rmSync(copyFile, { force: true });
  }
}

/**
 * The calls of bare_call written as the importer writes new calls (its statement, every rollup kept),
 * STAGED_BATCH a statement, in a transaction that is rolled back after: the imported data stays as it
 * was. `emptyFirst`: into the call tables emptied in that transaction (an import's share from
 * nothing), else into them as they are. Returns calls per second.
 */
async function writeFromStaging(client: pg.Client, calls: number, { emptyFirst }: { emptyFirst: boolean }): Promise<number> {
  await client.query('ALTER TABLE bare_call ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
  await client.query('BEGIN');
  try {
    if (emptyFirst) await client.query('TRUNCATE call_attempt, call_bucket, call_bucket_key, call_day, call_day_key, lead_progress, funnel_profile');
    const start = performance.now();
    for (let from = 0; from < calls; from += STAGED_BATCH) {
      const source = `(SELECT id, campaign_id, lead_id, started_at, answered_at, ended_at, result::text, billsec, hangup_cause, dtmf,
          array_to_string(script_path, E'\\x1f'), transfer_queue, transfer_status::text, disposition
        FROM bare_call WHERE seq > ${from} AND seq <= ${from + STAGED_BATCH}) AS r(${CALL_COLUMNS})`;
      await client.query(writeCallsSql(source, 'new'));
    }
    return Math.round(calls / ((performance.now() - start) / 1000));
  } finally {
    await client.query('ROLLBACK');
  }
}

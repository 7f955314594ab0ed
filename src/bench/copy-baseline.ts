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
  const copyFile = `${ndjsonFile}.copy`;
  let calls = 0;
  await pipeline(
    readLines(fs.createReadStream(ndjsonFile)),
    async function* (lines: AsyncIterable<string | UnreadableLine>) {
      for await (const line of lines) {
        if (typeof line !== 'string' || line === '') continue;
        const record = JSON.parse(line) as CallRecord | { type: string };
        if (record.type !== 'call') continue;
        calls += 1;
        yield copyRow(record as CallRecord);
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
    const perSecond = Math.round(calls / ((performance.now() - start) / 1000));
    return { calls, perSecond, withRollupsPerSecond: await writeFromStaging(client, calls) };
  } finally {
    await client.end();
    fs.rmSync(copyFile, { force: true });
  }
}

/**
 * The calls of bare_call written as the importer writes new calls (its statement, every rollup kept),
 * STAGED_BATCH a statement, into the call tables emptied in a transaction that is rolled back after:
 * the imported data stays as it was. Returns calls per second.
 */
async function writeFromStaging(client: pg.Client, calls: number): Promise<number> {
  await client.query('ALTER TABLE bare_call ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
  await client.query('BEGIN');
  try {
    await client.query('TRUNCATE call_attempt, call_bucket, call_bucket_key, call_day, call_day_key, lead_progress, funnel_profile');
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

import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgArray } from '../import/batch-writer.js';
import { readLines, type UnreadableLine } from '../import/lines.js';
import type { CallRecord } from '../import/records.js';

// The import's yardstick: the same call lines COPYed into a table shaped like call_attempt with no
// index, no foreign key and no rollup. It is the fastest PostgreSQL takes these rows at all.

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
 * rows are put in COPY's format first, untimed: the figure is PostgreSQL's COPY alone.
 */
export async function copyCallsPerSecond(url: string, ndjsonFile: string): Promise<{ calls: number; perSecond: number }> {
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
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TEMPORARY TABLE bare_call (LIKE call_attempt)');
    const start = performance.now();
    await pipeline(fs.createReadStream(copyFile), client.query(copyFrom('COPY bare_call FROM STDIN')));
    return { calls, perSecond: Math.round(calls / ((performance.now() - start) / 1000)) };
  } finally {
    await client.end();
    fs.rmSync(copyFile, { force: true });
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from '../db/client.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { demoRecords } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { readLines } from '../import/lines.js';
import { storedTablesCallsPerSecond } from './copy-baseline.js';

/** Calls of each slice that PostgreSQL's own share is measured on (one statement of the importer's). */
const YARDSTICK_SAMPLE = 100_000;

/**
 * One campaign of `leads` demo leads (about 1.56 calls each) cut into `slices` NDJSON files by the
 * calls' start, as a dialer's history arrives (a few days at a time, each lead with its first call),
 * imported one file after the other as `npm run import` would (each followed by its VACUUM ANALYZE):
 * calls per second of each slice, so a slope with the table's size shows, beside PostgreSQL's own
 * share of the same writes at that size (storedTablesCallsPerSecond).
 * Why by time: calls written out of time order land all over the (campaign, started_at) index, and
 * every slice then touches more of its pages the larger it is; PostgreSQL alone, writing slices of
 * leads that each span the whole month, fell from 81,002 to 28,857 rows a second over ten slices
 * (the same in time order: 102,779 to 84,168; docs/bench.md).
 */
export async function importInSlices(db: Database, url: string, leads: number, slices: number): Promise<void> {
  const files = Array.from({ length: slices }, (_, n) => path.join(os.tmpdir(), `autocall-bench-slice-${process.pid}-${n + 1}.ndjson`));
  try {
    await writeSlices(files, leads);
    console.log(
      `\nImporting one campaign of ${leads.toLocaleString('en-US')} leads in ${slices} slices by the calls' start, through the importer ` +
        `(each as npm run import: then VACUUM ANALYZE), beside PostgreSQL's share (the importer's statement on ${YARDSTICK_SAMPLE.toLocaleString('en-US')} of the slice's calls again, rolled back)`,
    );
    console.log(
      `${'slice'.padEnd(6)} ${'calls'.padStart(10)} ${'calls in table'.padStart(15)} ${'s'.padStart(7)} ${'calls/s'.padStart(8)} ${'VACUUM s'.padStart(9)} ${'PostgreSQL calls/s'.padStart(19)}`,
    );
    let stored = 0;
    const rates: number[] = [];
    const shares: number[] = [];
    for (const [index, file] of files.entries()) {
      const started = performance.now();
      const { imported } = await importNdjson(db, readLines(fs.createReadStream(file)));
      const seconds = (performance.now() - started) / 1000;
      const vacuumStarted = performance.now();
      await vacuumAnalyze(db);
      const vacuum = (performance.now() - vacuumStarted) / 1000;
      const share = await storedTablesCallsPerSecond(url, file, YARDSTICK_SAMPLE);
      // The yardstick's rolled-back rows are cleaned before the next slice, untimed.
      await vacuumAnalyze(db);
      stored += imported.call;
      rates.push(imported.call / seconds);
      shares.push(share);
      console.log(
        `${String(index + 1).padEnd(6)} ${imported.call.toLocaleString('en-US').padStart(10)} ${stored.toLocaleString('en-US').padStart(15)} ` +
          `${seconds.toFixed(1).padStart(7)} ${Math.round(imported.call / seconds).toString().padStart(8)} ${vacuum.toFixed(1).padStart(9)} ${share.toString().padStart(19)}`,
      );
    }
    const lastOfFirst = (values: number[]) => `${((values.at(-1)! / values[0]!) * 100).toFixed(0)} %`;
    console.log(`the last slice at ${lastOfFirst(rates)} of the first's calls/s; PostgreSQL's share at ${lastOfFirst(shares)}`);
  } finally {
    for (const file of files) fs.rmSync(file, { force: true });
  }
}

type DemoRecord = ReturnType<typeof demoRecords> extends Iterable<infer R> ? R : never;

/**
 * The demo campaign's records in files of about equal numbers of calls, each file a span of time
 * after the one before (the slices' bounds from a first pass over the same seeded records); the
 * campaign in the first, each lead with its first call.
 */
async function writeSlices(files: string[], leads: number) {
  const records = () => demoRecords({ tenantId: 'bench', campaigns: 1, leadsPerCampaign: leads });
  const startOf = (record: DemoRecord) => Date.parse((record as { started_at: string }).started_at);
  const starts: number[] = [];
  for (const record of records()) if (record.type === 'call') starts.push(startOf(record));
  starts.sort((a, b) => a - b);
  // A slice's first start: bounds[n] for slice n + 1.
  const bounds = files.slice(1).map((_, n) => starts[Math.floor((starts.length * (n + 1)) / files.length)]!);
  const sliceOf = (start: number) => bounds.filter((bound) => start >= bound).length;

  const streams = files.map((file) => fs.createWriteStream(file));
  const write = async (slice: number, record: DemoRecord) => {
    const stream = streams[slice]!;
    if (!stream.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
  let lead: DemoRecord | undefined;
  for (const record of records()) {
    if (record.type !== 'call') {
      if (lead) await write(0, lead);
      lead = record.type === 'lead' ? record : undefined;
      if (!lead) await write(0, record);
      continue;
    }
    const slice = sliceOf(startOf(record));
    if (lead) await write(slice, lead);
    lead = undefined;
    await write(slice, record);
  }
  if (lead) await write(0, lead);
  await Promise.all(streams.map((stream) => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())))));
}

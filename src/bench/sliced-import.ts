import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from '../db/client.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { demoRecords } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { readLines } from '../import/lines.js';

/**
 * One campaign of `leads` demo leads (about 1.56 calls each), written to `slices` NDJSON files of
 * whole leads, then imported one file after the other as `npm run import` would (each followed by
 * its VACUUM ANALYZE): calls per second of each slice, so a slope with the table's size shows.
 */
export async function importInSlices(db: Database, leads: number, slices: number): Promise<void> {
  const files = Array.from({ length: slices }, (_, n) => path.join(os.tmpdir(), `autocall-bench-slice-${process.pid}-${n + 1}.ndjson`));
  try {
    await writeSlices(files, leads);
    console.log(`\nImporting one campaign of ${leads.toLocaleString('en-US')} leads in ${slices} slices through the importer (each as npm run import: then VACUUM ANALYZE)`);
    console.log(`${'slice'.padEnd(6)} ${'calls'.padStart(10)} ${'calls in table'.padStart(15)} ${'s'.padStart(7)} ${'calls/s'.padStart(8)} ${'VACUUM s'.padStart(9)}`);
    let stored = 0;
    const rates: number[] = [];
    for (const [index, file] of files.entries()) {
      const started = performance.now();
      const { imported } = await importNdjson(db, readLines(fs.createReadStream(file)));
      const seconds = (performance.now() - started) / 1000;
      const vacuumStarted = performance.now();
      await vacuumAnalyze(db);
      const vacuum = (performance.now() - vacuumStarted) / 1000;
      stored += imported.call;
      rates.push(imported.call / seconds);
      console.log(
        `${String(index + 1).padEnd(6)} ${imported.call.toLocaleString('en-US').padStart(10)} ${stored.toLocaleString('en-US').padStart(15)} ` +
          `${seconds.toFixed(1).padStart(7)} ${Math.round(imported.call / seconds).toString().padStart(8)} ${vacuum.toFixed(1).padStart(9)}`,
      );
    }
    console.log(`the last slice at ${((rates.at(-1)! / rates[0]!) * 100).toFixed(0)} % of the first's calls/s`);
  } finally {
    for (const file of files) fs.rmSync(file, { force: true });
  }
}

/** The demo campaign's records split into files of about equal numbers of leads, each lead with its calls (the campaign's record first). */
async function writeSlices(files: string[], leads: number) {
  const perSlice = Math.ceil(leads / files.length);
  const close = (open: fs.WriteStream) => new Promise<void>((resolve, reject) => open.end((error?: Error | null) => (error ? reject(error) : resolve())));
  let slice = 0;
  let stream = fs.createWriteStream(files[0]!);
  let leadsInSlice = 0;
  for (const record of demoRecords({ tenantId: 'bench', campaigns: 1, leadsPerCampaign: leads })) {
    if (record.type === 'lead' && leadsInSlice === perSlice) {
      await close(stream);
      slice += 1;
      stream = fs.createWriteStream(files[slice]!);
      leadsInSlice = 0;
    }
    if (record.type === 'lead') leadsInSlice += 1;
    if (!stream.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await close(stream);
}

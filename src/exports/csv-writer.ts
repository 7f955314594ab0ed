import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { CallRow } from '../data/call-rows.js';
import type { RowProgress } from './progress.js';
import { callColumns, type Table } from './tables.js';

/** RFC 4180: quote a field when it holds a comma, quote or line break; double inner quotes. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values
    .map((value) => {
      const text = value === null || value === undefined ? '' : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',')}\r\n`;
}

function tableCsv(table: Table): string {
  return [table.columns.map((column) => column.header), ...table.rows].map(csvLine).join('');
}

async function* callsCsv(calls: AsyncIterable<CallRow[]>, progress?: RowProgress) {
  yield csvLine(callColumns().map((column) => column.header));
  for await (const page of calls) {
    yield page.map(csvLine).join('');
    await progress?.add(page.length);
  }
}

/** One report as one CSV file, with a byte order mark so Excel reads the UTF-8 labels right. */
export async function writeCsv(path: string, table: Table, progress?: RowProgress): Promise<void> {
  await fs.promises.writeFile(path, `\uFEFF${tableCsv(table)}`);
  await progress?.add(table.rows.length);
}

/** Several reports (and the calls, streamed) as a zip of CSV files. */
export async function writeCsvZip(
  path: string,
  tables: Table[],
  calls: AsyncIterable<CallRow[]>,
  progress?: RowProgress,
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const table of tables) {
    zip.addBuffer(Buffer.from(`\uFEFF${tableCsv(table)}`), `${table.name.toLowerCase()}.csv`);
    await progress?.add(table.rows.length);
  }
  const callsFile = Readable.from(prefixed('\uFEFF', callsCsv(calls, progress)));
  // yazl does not pass on an error of a stream it reads (a canceled or stopped export throws in
  // callsCsv): catch it here, or the zip would never end and the error would go unhandled.
  const failed = new Promise<never>((_, reject) => callsFile.once('error', reject));
  failed.catch(() => undefined);
  zip.addReadStream(callsFile, 'calls.csv');
  zip.end();
  const output = fs.createWriteStream(path);
  try {
    await Promise.race([pipeline(zip.outputStream, output), failed]);
  } catch (error) {
    output.destroy();
    throw error;
  }
}

async function* prefixed(prefix: string, chunks: AsyncIterable<string>) {
  yield prefix;
  yield* chunks;
}

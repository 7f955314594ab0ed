import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DateTime } from 'luxon';
import yazl from 'yazl';
import type { CallRow } from '../data/call-rows.js';
import type { RowProgress } from './progress.js';
import { callColumns, type Table, type TableValue } from './tables.js';

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
  // An instant as ISO 8601 local time of the table's zone with its offset: 2026-06-01T00:00:00+07:00.
  const text = (value: TableValue) =>
    value instanceof Date ? DateTime.fromJSDate(value, { zone: table.zone ?? 'UTC' }).toISO({ suppressMilliseconds: true }) : value;
  return [table.columns.map((column) => column.header), ...table.rows.map((row) => row.map(text))].map(csvLine).join('');
}

async function* callsCsv(calls: AsyncIterable<CallRow[]>, progress?: RowProgress) {
  yield csvLine(callColumns().map((column) => column.header));
  for await (const page of calls) {
    yield page.map(csvLine).join('');
    await progress?.add(page.length);
  }
}

/** One report as one CSV file into `output`, with a byte order mark so Excel reads the UTF-8 labels right. */
export async function writeCsv(output: Writable, table: Table, progress?: RowProgress): Promise<void> {
  await pipeline(Readable.from([`\uFEFF${tableCsv(table)}`]), output);
  await progress?.add(table.rows.length);
}

/**
 * Several reports (and the calls, streamed) as a zip of CSV files into `output`, each dated `modified`: the same
 * data gives the same bytes. The zip format dates files in local time without a zone, and yazl
 * reads a Date's local parts, so a Date made of local parts is dated the same on every machine.
 */
export async function writeCsvZip(
  output: Writable,
  tables: Table[],
  calls: AsyncIterable<CallRow[]>,
  modified: Date,
  progress?: RowProgress,
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const table of tables) {
    zip.addBuffer(Buffer.from(`\uFEFF${tableCsv(table)}`), `${table.name.toLowerCase()}.csv`, { mtime: modified });
    await progress?.add(table.rows.length);
  }
  const callsFile = Readable.from(prefixed('\uFEFF', callsCsv(calls, progress)));
  // yazl does not pass on an error of a stream it reads (a canceled or stopped export throws in
  // callsCsv): catch it here, or the zip would never end and the error would go unhandled.
  const failed = new Promise<never>((_, reject) => callsFile.once('error', reject));
  failed.catch(() => undefined);
  zip.addReadStream(callsFile, 'calls.csv', { mtime: modified });
  zip.end();
  await Promise.race([pipeline(zip.outputStream, output), failed]);
}

async function* prefixed(prefix: string, chunks: AsyncIterable<string>) {
  yield prefix;
  yield* chunks;
}

import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { CallRow } from '../data/call-rows.js';
import { CALL_COLUMNS, type Table } from './tables.js';

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

async function* callsCsv(calls: AsyncIterable<CallRow[]>, onCallRows?: (written: number) => Promise<void> | void) {
  yield csvLine(CALL_COLUMNS.map((column) => column.header));
  let written = 0;
  for await (const page of calls) {
    yield page.map(csvLine).join('');
    written += page.length;
    await onCallRows?.(written);
  }
}

/** One report as one CSV file, with a byte order mark so Excel reads the UTF-8 labels right. */
export async function writeCsv(path: string, table: Table): Promise<void> {
  await fs.promises.writeFile(path, `\uFEFF${tableCsv(table)}`);
}

/** Several reports (and the calls, streamed) as a zip of CSV files. */
export async function writeCsvZip(
  path: string,
  tables: Table[],
  calls: AsyncIterable<CallRow[]>,
  onCallRows?: (written: number) => Promise<void> | void,
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const table of tables) zip.addBuffer(Buffer.from(`\uFEFF${tableCsv(table)}`), `${table.name.toLowerCase()}.csv`);
  zip.addReadStream(Readable.from(prefixed('\uFEFF', callsCsv(calls, onCallRows))), 'calls.csv');
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(path));
}

async function* prefixed(prefix: string, chunks: AsyncIterable<string>) {
  yield prefix;
  yield* chunks;
}

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import type { CallRow } from '../data/call-rows.js';
import type { RowProgress } from './progress.js';
import { columnLetters, rowXml, Utf8Buffer } from './sheet-xml.js';
import { callColumns, type Table } from './tables.js';
import { addGridSheet, addTableSheet, openSheet } from './xlsx-sheets.js';

/** Excel's limit is 1,048,576 rows a sheet; a round million leaves room for the header. */
const CALL_ROWS_PER_SHEET = 1_000_000;

/** Rows written as text are passed on in pieces of about this size, not a page at once: less memory. */
const PASSED_ON_BYTES = 256 * 1024;

/** What writing rows as text needs of exceljs 4's streaming writer, which its typings leave out. */
interface StreamingInternals {
  styles: { addStyleModel(style: Partial<ExcelJS.Style>): number };
}
interface SheetStream {
  /**
   * exceljs's StreamBuf: it passes writes on to `pipes` whether they are full or not. Its one pipe
   * is archiver's PassThrough (of readable-stream 2, which predates writableNeedDrain) before the
   * zip entry's deflate.
   */
  stream: { write(bytes: Buffer): unknown; pipes: { _writableState: { needDrain: boolean }; once(event: 'drain', listener: () => void): unknown }[] };
}

/**
 * A sheet whose rows are written as text (sheet-xml.ts) after exceljs has written its columns and
 * header: the cells of a million calls in seconds. Number cells take their column's style, the
 * same objects exceljs registered for the columns, so they get the same style ids.
 */
function addRowsSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Table['columns']) {
  const { styles, sheet, header } = openSheet(workbook, name, columns);
  header.commit();
  // The columns with a number format hold numbers (in the cells' text, see rowXml).
  const numberStyles = styles.map((style) => (style.numFmt ? (workbook as unknown as StreamingInternals).styles.addStyleModel(style) : undefined));
  const letters = columns.map((_, index) => columnLetters(index));
  const { stream } = sheet as unknown as SheetStream;
  const xml = new Utf8Buffer();
  let next = 2;
  return {
    /** Writes rows after those written so far. */
    addRows(rows: readonly CallRow[]) {
      for (const row of rows) {
        xml.add(rowXml(next++, row, numberStyles, letters));
        if (xml.length >= PASSED_ON_BYTES) stream.write(xml.take());
      }
      stream.write(xml.take());
    },
    /** Resolves once the zip's deflate has taken in what was written, so rows do not pile up before it. */
    async drained() {
      for (const target of stream.pipes) if (target._writableState.needDrain) await new Promise<void>((resolve) => target.once('drain', () => resolve()));
    },
    commit: () => sheet.commit(),
  };
}

export interface CallSheets {
  rows: AsyncIterable<CallRow[]>;
  /** The zone of the rows' Excel date-times, named in the headers. */
  zone: string;
}

/**
 * Streams a workbook into `output` (a file, an upload): one sheet per table, then the calls (if any)
 * on "Calls" sheets of at most `rowsPerSheet` rows. Rows are committed as they are written, so
 * memory stays flat, and counted into `progress` as they are. Ends `output`; the caller destroys it
 * if this throws.
 */
export async function writeXlsx(
  output: Writable,
  tables: Table[],
  calls?: CallSheets,
  progress?: RowProgress,
  rowsPerSheet = CALL_ROWS_PER_SHEET,
): Promise<void> {
  // Loaded on the first XLSX export, and only its streaming writer: 16 MB of resident memory that most
  // gateways never need (exceljs's index, which also loads its reader and in-memory workbook, 27 MB).
  const { default: WorkbookWriter } = await import('exceljs/lib/stream/xlsx/workbook-writer.js');
  await writeSheets(new WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false }), output, tables, calls, progress, rowsPerSheet);
}

async function writeSheets(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  output: Writable,
  tables: Table[],
  calls: CallSheets | undefined,
  progress: RowProgress | undefined,
  rowsPerSheet: number,
): Promise<void> {
  const written = (rows: number) => progress?.add(rows);
  for (const table of tables) {
    if (table.grids) {
      addGridSheet(workbook, table.name, table.notes ?? [], table.grids);
      await addTableSheet(workbook, `${table.name} data`, { ...table, notes: undefined }, written);
    } else await addTableSheet(workbook, table.name, table, written);
  }
  if (calls) {
    const columns = callColumns(calls.zone);
    let sheet: ReturnType<typeof addRowsSheet> | undefined;
    let sheetNumber = 0;
    let onSheet = 0;
    for await (const page of calls.rows) {
      for (let start = 0; start < page.length; ) {
        if (!sheet || onSheet === rowsPerSheet) {
          sheet?.commit();
          sheetNumber += 1;
          sheet = addRowsSheet(workbook, sheetNumber === 1 ? 'Calls' : `Calls ${sheetNumber}`, columns);
          onSheet = 0;
        }
        const rows = page.slice(start, start + rowsPerSheet - onSheet);
        sheet.addRows(rows);
        onSheet += rows.length;
        start += rows.length;
        await progress?.add(rows.length);
      }
      // exceljs does not apply backpressure: wait until the deflate and the file have taken what
      // was written, or the sheet piles up in memory.
      await sheet?.drained();
      await new Promise(setImmediate);
      if (output.writableNeedDrain) await once(output, 'drain');
    }
    (sheet ?? addRowsSheet(workbook, 'Calls', columns)).commit();
  }
  await workbook.commit();
  if (!output.writableFinished) await finished(output, { readable: false });
}

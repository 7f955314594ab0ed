import { once } from 'node:events';
import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import type { CallRow } from '../data/call-rows.js';
import type { RowProgress } from './progress.js';
import { callColumns, type Table } from './tables.js';

/** Excel's limit is 1,048,576 rows a sheet; a round million leaves room for the header. */
const CALL_ROWS_PER_SHEET = 1_000_000;

/** A sheet with a frozen bold header row; addRow writes one row and commits it. */
function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Table['columns']) {
  const styles = columns.map((column) => (column.numFmt ? { numFmt: column.numFmt } : {}));
  const rowStyles = new Map<string, Partial<ExcelJS.Style>>();
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column, index) => ({ header: column.header, key: String(index), width: column.width, style: styles[index] }));
  sheet.getRow(1).font = { bold: true };
  return {
    /** Writes a row; `numFmt` formats its numbers instead of their columns' formats. */
    addRow(values: Table['rows'][number], numFmt?: string) {
      const row = sheet.addRow(values);
      // exceljs gives every cell a copy of its column's style and looks each copy up by content when
      // the row is written, a third of a large export's time; one shared object per format is looked up once.
      const own = numFmt === undefined ? undefined : rowStyles.get(numFmt) ?? rowStyles.set(numFmt, { numFmt }).get(numFmt)!;
      row.eachCell((cell, column) => (cell.style = own && typeof cell.value === 'number' ? own : styles[column - 1]!));
      row.commit();
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
 * Streams a workbook to `path`: one sheet per table, then the calls (if any) on "Calls" sheets of
 * at most `rowsPerSheet` rows. Rows are committed as they are written, so memory stays flat, and
 * counted into `progress` as they are.
 */
export async function writeXlsx(
  path: string,
  tables: Table[],
  calls?: CallSheets,
  progress?: RowProgress,
  rowsPerSheet = CALL_ROWS_PER_SHEET,
): Promise<void> {
  // Loaded on the first XLSX export: exceljs weighs about 16 MB of memory that most gateways never need.
  const { default: excel } = await import('exceljs');
  const file = fs.createWriteStream(path);
  try {
    await writeSheets(new excel.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false }), file, tables, calls, progress, rowsPerSheet);
  } catch (error) {
    // Stopped mid-way (canceled, shutting down, failed): let go of the file, which the caller removes.
    file.destroy();
    throw error;
  }
}

async function writeSheets(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  file: fs.WriteStream,
  tables: Table[],
  calls: CallSheets | undefined,
  progress: RowProgress | undefined,
  rowsPerSheet: number,
): Promise<void> {
  for (const table of tables) {
    const sheet = addSheet(workbook, table.name, table.columns);
    for (const [index, row] of table.rows.entries()) {
      sheet.addRow(row, table.rowFormats?.[index]);
      await progress?.add(1);
    }
    sheet.commit();
  }
  if (calls) {
    const columns = callColumns(calls.zone);
    let sheet: ReturnType<typeof addSheet> | undefined;
    let sheetNumber = 0;
    let onSheet = 0;
    for await (const page of calls.rows) {
      for (const row of page) {
        if (!sheet || onSheet === rowsPerSheet) {
          sheet?.commit();
          sheetNumber += 1;
          sheet = addSheet(workbook, sheetNumber === 1 ? 'Calls' : `Calls ${sheetNumber}`, columns);
          onSheet = 0;
        }
        sheet.addRow(row);
        onSheet += 1;
        await progress?.add(1);
      }
      // exceljs does not apply backpressure: wait until the file has taken what was written, or
      // the compressed sheet piles up in memory.
      await new Promise(setImmediate);
      if (file.writableNeedDrain) await once(file, 'drain');
    }
    (sheet ?? addSheet(workbook, 'Calls', columns)).commit();
  }
  await workbook.commit();
  if (!file.closed) await once(file, 'close');
}

import { once } from 'node:events';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { CallRow } from '../data/call-rows.js';
import { CALL_COLUMNS, type Table } from './tables.js';

/** Excel's limit is 1,048,576 rows a sheet; a round million leaves room for the header. */
const CALL_ROWS_PER_SHEET = 1_000_000;

/** A sheet with a frozen bold header row; addRow writes one row and commits it. */
function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Table['columns']) {
  const styles = columns.map((column) => (column.numFmt ? { numFmt: column.numFmt } : {}));
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column, index) => ({ header: column.header, key: String(index), width: column.width, style: styles[index] }));
  sheet.getRow(1).font = { bold: true };
  return {
    addRow(values: Table['rows'][number]) {
      const row = sheet.addRow(values);
      // exceljs gives every cell a copy of its column's style and looks each copy up by content when
      // the row is written, a third of a large export's time; the column's own object is looked up once.
      row.eachCell((cell, column) => (cell.style = styles[column - 1]!));
      row.commit();
    },
    commit: () => sheet.commit(),
  };
}

/**
 * Streams a workbook to `path`: one sheet per table, then the calls (if any) on "Calls" sheets of
 * at most `rowsPerSheet` rows. Rows are committed as they are written, so memory stays flat.
 */
export async function writeXlsx(
  path: string,
  tables: Table[],
  calls?: AsyncIterable<CallRow[]>,
  onCallRows?: (written: number) => Promise<void> | void,
  rowsPerSheet = CALL_ROWS_PER_SHEET,
): Promise<void> {
  const file = fs.createWriteStream(path);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false });
  for (const table of tables) {
    const sheet = addSheet(workbook, table.name, table.columns);
    for (const row of table.rows) sheet.addRow(row);
    sheet.commit();
  }
  if (calls) {
    let sheet: ReturnType<typeof addSheet> | undefined;
    let sheetNumber = 0;
    let onSheet = 0;
    let written = 0;
    for await (const page of calls) {
      for (const row of page) {
        if (!sheet || onSheet === rowsPerSheet) {
          sheet?.commit();
          sheetNumber += 1;
          sheet = addSheet(workbook, sheetNumber === 1 ? 'Calls' : `Calls ${sheetNumber}`, CALL_COLUMNS);
          onSheet = 0;
        }
        sheet.addRow(row);
        onSheet += 1;
      }
      written += page.length;
      await onCallRows?.(written);
      // exceljs does not apply backpressure: wait until the file has taken what was written, or
      // the compressed sheet piles up in memory.
      await new Promise(setImmediate);
      if (file.writableNeedDrain) await once(file, 'drain');
    }
    (sheet ?? addSheet(workbook, 'Calls', CALL_COLUMNS)).commit();
  }
  await workbook.commit();
  if (!file.closed) await once(file, 'close');
}

import { once } from 'node:events';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { CallRow } from '../data/call-rows.js';
import { CALL_COLUMNS, type Table } from './tables.js';

/** Excel's limit is 1,048,576 rows a sheet; a round million leaves room for the header. */
const CALL_ROWS_PER_SHEET = 1_000_000;

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Table['columns']) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column, index) => ({
    header: column.header,
    key: String(index),
    width: column.width,
    style: column.numFmt ? { numFmt: column.numFmt } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  return sheet;
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
    for (const row of table.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  if (calls) {
    let sheet: ExcelJS.Worksheet | undefined;
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
        sheet.addRow(row).commit();
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

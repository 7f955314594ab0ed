import type ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { columnLetters } from './sheet-xml.js';
import type { Grid, Table, TableValue } from './tables.js';

type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;

/** Days from Excel's day 0 (1899-12-30) to the wall-clock time of `instant` in `zone`: Excel has no time zones. */
export function excelSerial(instant: Date, zone: string): number {
  const offsetMinutes = DateTime.fromJSDate(instant, { zone }).offset;
  return (instant.getTime() + offsetMinutes * 60_000) / 86_400_000 + 25569;
}

const BOLD = { bold: true };

/**
 * A sheet whose table has a frozen bold header row, under the table's notes (and a blank row) if it
 * has any: its columns' shared style objects, the sheet, and the header row, not yet committed.
 */
export function openSheet(workbook: Workbook, name: string, columns: Table['columns'], notes: readonly string[] = []) {
  const styles = columns.map((column): Partial<ExcelJS.Style> => (column.numFmt ? { numFmt: column.numFmt } : {}));
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: notes.length === 0 ? 1 : notes.length + 2 }] });
  sheet.columns = columns.map((column, index) => ({ key: String(index), width: column.width, style: styles[index] }));
  for (const note of notes) sheet.addRow([note]).commit();
  if (notes.length > 0) sheet.addRow([]).commit();
  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = BOLD;
  return { styles, sheet, header };
}

/**
 * Writes a table on a sheet of exceljs rows, Dates as Excel date-times of the table's zone, each
 * row committed as it is written; `written` is told of every row.
 */
export async function addTableSheet(workbook: Workbook, name: string, table: Table, written: (rows: number) => unknown): Promise<void> {
  const { styles, sheet, header } = openSheet(workbook, name, table.columns, table.notes);
  header.commit();
  const rowStyles = new Map<string, Partial<ExcelJS.Style>>();
  const cellValue = (value: TableValue) => (value instanceof Date ? excelSerial(value, table.zone ?? 'UTC') : value);
  for (const [index, values] of table.rows.entries()) {
    const row = sheet.addRow(values.map(cellValue));
    // exceljs gives every cell a copy of its column's style and looks each copy up by content when
    // the row is written; one shared object per format is looked up once. A row format (KPIs'
    // Value column holds counts and percentages) formats the row's numbers instead.
    const numFmt = table.rowFormats?.[index];
    const own = numFmt === undefined ? undefined : rowStyles.get(numFmt) ?? rowStyles.set(numFmt, { numFmt }).get(numFmt)!;
    row.eachCell((cell, column) => (cell.style = own && typeof cell.value === 'number' ? own : styles[column - 1]!));
    row.commit();
    await written(1);
  }
  sheet.commit();
}

/** A white-to-blue colour scale from the lowest value of its cells to the highest (the dashboard's blue). */
const COLOUR_SCALE: ExcelJS.ConditionalFormattingRule = {
  type: 'colorScale',
  priority: 1,
  cfvo: [{ type: 'min' }, { type: 'max' }],
  color: [{ argb: 'FFFFFFFF' }, { argb: 'FF2F7ED8' }],
};

/**
 * Grids on one sheet under its notes, one after the other: a bold title, the column labels, then
 * rows of a label and numbers in the grid's format. The totals (last row and column) are bold and
 * left out of the colour scale, which spans the rest.
 */
export function addGridSheet(workbook: Workbook, name: string, notes: readonly string[], grids: readonly Grid[]): void {
  const sheet = workbook.addWorksheet(name);
  const labels = grids[0]?.columns ?? [];
  sheet.columns = [{ width: 12 }, ...labels.map((label) => ({ width: typeof label === 'number' ? 7 : 10 }))];
  const commit = (values: (string | number | null)[], font?: Partial<ExcelJS.Font>) => {
    const row = sheet.addRow(values);
    if (font) row.font = font;
    row.commit();
    return row.number;
  };
  for (const note of notes) commit([note]);
  for (const [index, grid] of grids.entries()) {
    commit([]);
    commit([grid.title], { bold: true, size: 12 });
    commit(['', ...grid.columns], BOLD);
    let first = 0;
    for (const [rowIndex, gridRow] of grid.rows.entries()) {
      const row = sheet.addRow([gridRow.label, ...gridRow.values]);
      if (rowIndex === 0) first = row.number;
      const totals = rowIndex === grid.rows.length - 1;
      row.eachCell((cell, column) => {
        if (column > 1) cell.numFmt = grid.numFmt;
        if (column === 1 || totals || column === grid.columns.length + 1) cell.font = BOLD;
      });
      row.commit();
    }
    const last = first + grid.rows.length - 2;
    sheet.addConditionalFormatting({
      ref: `B${first}:${columnLetters(grid.columns.length - 1)}${last}`,
      rules: [{ ...COLOUR_SCALE, priority: index + 1 }],
    });
  }
  sheet.commit();
}

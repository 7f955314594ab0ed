// exceljs's streaming workbook writer, imported alone (see xlsx-writer.ts): the class its index
// exports as ExcelJS.stream.xlsx.WorkbookWriter.
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type ExcelJS from 'exceljs';

  const WorkbookWriter: typeof ExcelJS.stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}

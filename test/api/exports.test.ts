import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { createPubSub } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow } from '../../src/data/call-rows.js';
import { claimJob } from '../../src/exports/claims.js';
import { createJob } from '../../src/exports/jobs.js';
import { ExportWorker } from '../../src/exports/worker.js';
import { writeXlsx } from '../../src/exports/xlsx-writer.js';
import { buildApp } from '../../src/server/app.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import type { PubSub, Topics } from '../../src/events/pubsub.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, jwtKey, type Testkit } from '../support/testkit.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

let kit: Testkit;
let exporter: string;
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE);
  exporter = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
});
afterAll(() => kit.close());

const EXPORT = `mutation ($input: ExportReportInput!) {
  exportReport(input: $input) { id campaignId reportType format status estimatedSeconds progressPct downloadUrl }
}`;
const JOB = `query ($id: ID!) {
  exportJob(id: $id) { id status progressPct downloadUrl expiresInSeconds fileSize completedAt error }
}`;

async function exportAndWait(input: Record<string, unknown>) {
  const started = await kit.execute(EXPORT, { variables: { input }, token: exporter });
  expect(started.errors).toBeUndefined();
  const job = (started.data as any).exportReport;
  await kit.app.worker.idle();
  const done = await kit.execute(JOB, { variables: { id: job.id }, token: exporter });
  return { started: job, done: (done.data as any).exportJob };
}

describe('Mutation.exportReport', () => {
  it('returns a QUEUED job at once, which the worker takes to READY', async () => {
    const { started, done } = await exportAndWait({ campaignId: '5', reportType: 'FULL', from: '2026-06-01', to: '2026-06-30' });
    expect(started).toMatchObject({ campaignId: '5', reportType: 'FULL', format: 'XLSX', status: 'QUEUED', estimatedSeconds: 3, progressPct: '0.00', downloadUrl: null });
    expect(started.id).toMatch(/^export_[0-9a-f]{8}$/);
    expect(done).toMatchObject({ id: started.id, status: 'READY', progressPct: '100.00', error: null });
    expect(done.expiresInSeconds).toBeGreaterThan(3590);
    expect(done.fileSize).toBeGreaterThan(1000);
  });

  it('writes a workbook with one sheet per report and a Calls sheet, matching the reports', async () => {
    const { done } = await exportAndWait({ campaignId: '5', reportType: 'FULL', from: '2026-06-01', to: '2026-06-30' });
    const response = await fetch(done.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="renewal-q3_full_2026-06-01_2026-06-30.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'KPIs', 'Trend', 'Hangup', 'DTMF', 'Funnel', 'Dispositions', 'Heatmap', 'Heatmap data', 'Calls',
    ]);
    // Rows as read, the blank row under a sheet's notes left out.
    const values = (name: string) =>
      workbook.getWorksheet(name)!.getSheetValues().slice(1).filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(values('KPIs').slice(0, 2)).toEqual([
      ['Campaign: Renewal Q3 (id 5)'],
      ['Window: 2026-06-01 to 2026-06-30, whole days in Asia/Ho_Chi_Minh'],
    ]);
    expect(workbook.getWorksheet('KPIs')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(values('KPIs').slice(2, 12)).toEqual([
      ['Metric', 'Value'],
      ['Total leads', 5],
      ['Dialed', 10],
      ['Answered', 6],
      ['No answer', 1],
      ['Busy', 1],
      ['Failed', 1],
      ['Abandoned', 1],
      ['Answer rate %', 60],
      ['Average call duration (s)', 41],
    ]);
    expect(values('Hangup')).toEqual([
      ['Hangup cause', 'Calls', 'Share %'],
      ['NORMAL_CLEARING', 6, 60],
      ['CALL_REJECTED', 1, 10],
      ['NO_ANSWER', 1, 10],
      ['ORIGINATOR_CANCEL', 1, 10],
      ['USER_BUSY', 1, 10],
    ]);
    expect(values('Funnel').map((row) => row[1])).toEqual(['Leads', 5, 5, 4, 3, 2, 1]);
    // Talk seconds of June's six answered attempts: 20, 30, 42, 45, 50, 61; nearest ranks 3, 6, 6, 6.
    expect(values('KPIs').filter((row) => String(row[0]).startsWith('Talk time'))).toEqual([
      ['Talk time p50 (s)', 42],
      ['Talk time p90 (s)', 61],
      ['Talk time p95 (s)', 61],
      ['Talk time p99 (s)', 61],
    ]);
    expect(values('Dispositions')).toEqual([['Disposition', 'Calls', 'Share %'], ['interested', 1, 100]]);
    expect(values('Trend')).toHaveLength(3 + 1 + 30);
    expect(values('Heatmap data')).toHaveLength(169);
    const calls = values('Calls');
    expect(calls).toHaveLength(11);
    expect(calls[0]!.slice(0, 5)).toEqual(['Call id', 'Lead id', 'Started at (Asia/Ho_Chi_Minh)', 'Answered at (Asia/Ho_Chi_Minh)', 'Ended at (Asia/Ho_Chi_Minh)']);
    expect(calls[1]!.slice(0, 8)).toEqual(['C-1', 'L-1', expect.any(Date), undefined, expect.any(Date), 'answered', 42, 'NORMAL_CLEARING']);
    expect(workbook.getWorksheet('Calls')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const cell = (sheet: string, address: string) => workbook.getWorksheet(sheet)!.getCell(address);
    // Times are Excel date-times (days since 1899-12-30) of the wall clock in the export's zone:
    // C-1 started and ended at 2026-06-01T02:00:00Z, 09:00 in Ho Chi Minh City (UTC+7); C-10 at 2026-06-06T02:00:00Z.
    const serial = (isoLocal: string) => Date.parse(`${isoLocal}Z`) / 86_400_000 + 25569;
    const rawTimes = ['C2', 'E2', 'C11'].map((address) => (cell('Calls', address).value as Date).getTime() / 86_400_000 + 25569);
    const expected = ['2026-06-01T09:00:00', '2026-06-01T09:00:00', '2026-06-06T09:00:00'].map(serial);
    rawTimes.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
    expect(['Calls!C2', 'Calls!D2', 'Calls!E11', 'Calls!G2', 'Calls!G11', 'Hangup!B2', 'Hangup!C2'].map((at) => cell(...(at.split('!') as [string, string])).numFmt)).toEqual([
      'yyyy-mm-dd hh:mm:ss', 'yyyy-mm-dd hh:mm:ss', 'yyyy-mm-dd hh:mm:ss', '#,##0', '#,##0', '#,##0', '0.00',
    ]);
    // The KPIs sheet's Value column holds counts and percentages: each row has its own format.
    const kpiFormats = Object.fromEntries(values('KPIs').slice(3).map((row, i) => [row[0], cell('KPIs', `B${i + 5}`).numFmt]));
    expect(kpiFormats).toMatchObject({ 'Total leads': '#,##0', Dialed: '#,##0', 'Answer rate %': '0.00', 'Average call duration (s)': '#,##0', 'Transfer success rate %': '0.00' });
    expect(cell('Calls', 'A1').font).toMatchObject({ bold: true });
    expect(workbook.getWorksheet('Calls')!.getColumn(10).width).toBe(40);
  });

  it('needs autocall_export_report and creates no job without it', async () => {
    const before = await kit.db.prisma.exportJob.count();
    const response = await kit.execute(EXPORT, { variables: { input: { campaignId: '5', reportType: 'KPIS' } } });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await kit.db.prisma.exportJob.count()).toBe(before);
  });

  it('treats another tenant\'s campaign and job like missing ones', async () => {
    const foreign = await kit.execute(EXPORT, { variables: { input: { campaignId: '12', reportType: 'KPIS' } }, token: exporter });
    expect(foreign.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Campaign "12" not found', 'NOT_FOUND']]);
    const { started } = await exportAndWait({ campaignId: '5', reportType: 'KPIS' });
    const globex = await kit.token({ tenantId: 'globex' });
    expect((await kit.execute(JOB, { variables: { id: started.id }, token: globex })).data).toEqual({ exportJob: null });
  });

  it('refuses bad dates naming the argument', async () => {
    const response = await kit.execute(EXPORT, { variables: { input: { campaignId: '5', reportType: 'KPIS', from: '2026-06-30', to: '2026-06-01' } }, token: exporter });
    expect(response.errors?.[0]).toMatchObject({ message: 'Argument "from" (2026-06-30) must not be after "to" (2026-06-01)', extensions: { code: 'BAD_USER_INPUT', argumentName: 'from' } });
  });
});

/** Debian's python3 with openpyxl (apt-get install python3-openpyxl); .ci/run installs it when missing. */
const PYTHON = process.env.PYTHON_PATH ?? '/usr/bin/python3';

/** A workbook as openpyxl, a reader other than the exceljs that wrote it, reads it (test/support/read-xlsx.py). */
function readWithOpenpyxl(file: string) {
  const script = fileURLToPath(new URL('../support/read-xlsx.py', import.meta.url));
  const output = execFileSync(PYTHON, [script, file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(output) as {
    names: string[];
    sheets: Record<string, {
      cells: Record<string, [value: string | number, numberFormat: string, bold: boolean]>;
      conditionalFormats: { ref: string; type: string; cfvo: string[] | null; colors: string[] | null }[];
      frozen: string | null;
      widths: Record<string, number>;
    }>;
  };
}

describe('an xlsx export read by a second reader (openpyxl)', () => {
  it('has the heatmap as grids with totals and colour scales, the window and zone stated, and formats on every column', async () => {
    const { done } = await exportAndWait({ campaignId: '5', reportType: 'FULL', from: '2026-06-01', to: '2026-06-30' });
    const file = path.join(os.tmpdir(), `openpyxl-${process.pid}.xlsx`);
    fs.writeFileSync(file, Buffer.from(await (await fetch(done.downloadUrl)).arrayBuffer()));
    const book = readWithOpenpyxl(file);
    fs.rmSync(file);
    expect(book.names).toEqual(['KPIs', 'Trend', 'Hangup', 'DTMF', 'Funnel', 'Dispositions', 'Heatmap', 'Heatmap data', 'Calls']);

    // The grids, checked against the API's heatmap of the same window and zone.
    const api = await kit.execute(
      `{ campaign(id: "5") { heatmap(from: "2026-06-01", to: "2026-06-30", timezone: "Asia/Ho_Chi_Minh") { dayOfWeek hour dialed answered answerRatePct } } }`,
      { token: exporter },
    );
    const cells = (api.data as any).campaign.heatmap as { dayOfWeek: number; hour: number; dialed: number; answered: number; answerRatePct: string | null }[];
    const heatmap = book.sheets.Heatmap!;
    const at = (address: string) => heatmap.cells[address];
    expect([at('A1'), at('A2'), at('A3')].map((cell) => cell?.[0])).toEqual([
      'Campaign: Renewal Q3 (id 5)',
      'Window: 2026-06-01 to 2026-06-30, whole days in Asia/Ho_Chi_Minh',
      'Weekdays and hours are local times in Asia/Ho_Chi_Minh; hours across, days down.',
    ]);
    const column = (hour: number) => String.fromCharCode(66 + hour); // hour 0 in B … 23 in Y
    const mondayFirst = [1, 2, 3, 4, 5, 6, 0];
    const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    for (const [grid, title, firstRow, value, numberFormat] of [
      [0, 'Dialed', 7, (c: (typeof cells)[number]) => c.dialed, '#,##0'],
      [1, 'Answered', 18, (c: (typeof cells)[number]) => c.answered, '#,##0'],
      [2, 'Answer rate %', 29, (c: (typeof cells)[number]) => (c.answerRatePct === null ? undefined : Number(c.answerRatePct)), '0.00'],
    ] as const) {
      expect(at(`A${firstRow - 2}`)).toEqual([title, 'General', true]);
      expect(at(`B${firstRow - 1}`)?.[0]).toBe(0);
      expect(at(`Y${firstRow - 1}`)?.[0]).toBe(23);
      expect(at(`Z${firstRow - 1}`)).toEqual(['Total', 'General', true]);
      mondayFirst.forEach((day, index) => {
        expect(at(`A${firstRow + index}`)?.[0]).toBe(names[day]);
        for (let hour = 0; hour < 24; hour++) {
          const expected = value(cells.find((c) => c.dayOfWeek === day && c.hour === hour)!);
          expect(at(`${column(hour)}${firstRow + index}`)?.[0], `${title} ${names[day]} ${hour}h`).toBe(expected);
        }
      });
      expect(at(`K${firstRow}`)?.[1]).toBe(numberFormat);
      expect(heatmap.conditionalFormats[grid]).toEqual({
        ref: `B${firstRow}:Y${firstRow + 6}`, type: 'colorScale', cfvo: ['min', 'max'], colors: ['FFFFFFFF', 'FF2F7ED8'],
      });
      expect(at(`A${firstRow + 7}`)?.[0]).toBe('Total');
    }
    // Totals: June's ten calls in Ho Chi Minh City, six answered; at 09:00, five dialed and three answered.
    expect([at('Z7'), at('Z8'), at('Z9'), at('K14'), at('Z14')]).toEqual([
      [2, '#,##0', true], [2, '#,##0', true], [3, '#,##0', true], [5, '#,##0', true], [10, '#,##0', true],
    ]);
    expect([at('Z18'), at('K25'), at('Z25')].map((cell) => cell?.[0])).toEqual([1, 3, 6]);
    // A total's rate is its calls' (Friday: 1 of 2), not the average of its cells' rates (0 and 100).
    expect([at('Z33'), at('K36'), at('Z36'), at('Z32')].map((cell) => cell?.[0])).toEqual([50, 60, 60, undefined]);
    expect(heatmap.conditionalFormats).toHaveLength(3);

    // The flat list stays, for pivots.
    const data = book.sheets['Heatmap data']!;
    expect([data.cells.A1?.[0], data.cells.E1?.[0], data.cells.A2?.[0], data.cells.E35]).toEqual(['Weekday', 'Answer rate %', 'Sunday', [50, '0.00', false]]);

    // Trend: a row per day with its start and end as local date-times, a format on every column.
    const trend = book.sheets.Trend!;
    expect(trend.frozen).toBe('A6');
    expect([trend.cells.A1?.[0], trend.cells.A2?.[0]]).toEqual(['Campaign: Renewal Q3 (id 5)', 'Window: 2026-06-01 to 2026-06-30, whole days in Asia/Ho_Chi_Minh']);
    expect(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((letter) => trend.cells[`${letter}5`]?.[0])).toEqual([
      'Day', 'Start (Asia/Ho_Chi_Minh)', 'End (Asia/Ho_Chi_Minh)', 'Dialed', 'Answered', 'Answer rate %', 'Avg duration (s)', 'Transfers',
    ]);
    expect(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((letter) => trend.cells[`${letter}6`])).toEqual([
      ['2026-06-01', '@', false],
      ['2026-06-01T00:00:00', 'yyyy-mm-dd hh:mm:ss', false],
      ['2026-06-02T00:00:00', 'yyyy-mm-dd hh:mm:ss', false],
      [2, '#,##0', false], [1, '#,##0', false], [50, '0.00', false], [42, '#,##0', false], [1, '#,##0', false],
    ]);
    expect(trend.cells.C35?.[0]).toBe('2026-07-01T00:00:00');

    // KPIs state the window and the zone above a frozen header.
    const kpis = book.sheets.KPIs!;
    expect(kpis.frozen).toBe('A5');
    expect([kpis.cells.A4, kpis.cells.B4]).toEqual([['Metric', 'General', true], ['Value', 'General', true]]);
    expect([kpis.cells.A6?.[0], kpis.cells.B6?.[0], kpis.cells.B6?.[1]]).toEqual(['Dialed', 10, '#,##0']);

    // The calls: rows written as text read back with their formats.
    const calls = book.sheets.Calls!;
    expect(calls.frozen).toBe('A2');
    expect(calls.cells.A2).toEqual(['C-1', 'General', false]);
    expect(calls.cells.C2).toEqual(['2026-06-01T09:00:00', 'yyyy-mm-dd hh:mm:ss', false]);
    expect(calls.cells.G2).toEqual([42, '#,##0', false]);
    expect(calls.cells.J2?.[0]).toBe('intro → press_1 → queue_sales');
    expect(calls.cells.A11?.[0]).toBe('C-10');
    expect(calls.widths.J).toBe(40);
  });
});

describe('export job ids', () => {
  it('that PostgreSQL could not hold are refused as input, naming the argument, by every field that takes one', async () => {
    const operations = [
      'query ($id: ID!) { exportJob(id: $id) { id } }',
      'mutation ($id: ID!) { cancelExport(id: $id) { id } }',
      'mutation ($id: ID!) { renewExportLink(id: $id) { id } }',
    ];
    for (const id of ['x\u0000y', 'export_'.padEnd(101, '0')]) {
      for (const operation of operations) {
        const { errors } = await kit.execute(operation, { variables: { id }, token: exporter });
        expect(errors?.map((error) => error.extensions), operation).toEqual([{ code: 'BAD_USER_INPUT', argumentName: 'id' }]);
      }
    }
    const subscription = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${exporter}` },
      body: JSON.stringify({ query: 'subscription { exportJobUpdated(id: "x\\u0000y") { id } }' }),
    });
    expect(await subscription.text()).toContain('"code":"BAD_USER_INPUT"');
    // Text that merely names no job is not found, as before.
    expect((await kit.execute(JOB, { variables: { id: 'export_zzzzzzzz' }, token: exporter })).data).toEqual({ exportJob: null });
  });
});

describe('export downloads', () => {
  it('refuse a tampered, truncated or foreign signature with a bare 403', async () => {
    const { done } = await exportAndWait({ campaignId: '5', reportType: 'HANGUP', format: 'CSV' });
    const url = new URL(done.downloadUrl);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await ok.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString()).toBe(
      'Hangup cause,Calls,Share %\r\nNORMAL_CLEARING,6,60\r\nCALL_REJECTED,1,10\r\nNO_ANSWER,1,10\r\nORIGINATOR_CANCEL,1,10\r\nUSER_BUSY,1,10\r\n',
    );
    const signature = url.searchParams.get('signature')!;
    const variants = [
      (u: URL) => u.searchParams.set('signature', `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`),
      (u: URL) => u.searchParams.set('signature', signature.slice(0, 10)),
      (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600)),
      (u: URL) => u.searchParams.delete('signature'),
      (u: URL) => (u.pathname = u.pathname.replace(/export_[0-9a-f]{8}/, 'export_00000000')),
    ];
    for (const change of variants) {
      const tampered = new URL(url);
      change(tampered);
      const response = await fetch(tampered);
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('Forbidden');
    }
  });

  it('refuse an expired link, and the job reads EXPIRED', async () => {
    const { started, done } = await exportAndWait({ campaignId: '5', reportType: 'KPIS', format: 'CSV' });
    await kit.db.prisma.exportJob.update({ where: { id: started.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await fetch(done.downloadUrl)).status).toBe(403);
    const job = await kit.execute(JOB, { variables: { id: started.id }, token: exporter });
    expect(job.data).toMatchObject({ exportJob: { status: 'EXPIRED', downloadUrl: null, expiresInSeconds: null } });
  });
});

describe('export files', () => {
  it('outlive their link, and are deleted by the sweeper 24 hours after they were written; the job stays EXPIRED', async () => {
    const { started } = await exportAndWait({ campaignId: '5', reportType: 'DTMF' });
    const { filePath, completedAt } = await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: started.id } });
    expect(fs.existsSync(filePath!)).toBe(true);
    await kit.db.prisma.exportJob.update({ where: { id: started.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const lapsed = await kit.db.prisma.exportJob.count({ where: { status: 'ready', expiresAt: { lte: new Date() } } });
    expect(lapsed).toBeGreaterThan(0);
    expect(await kit.app.worker.sweep()).toBe(lapsed);
    expect(await kit.db.prisma.exportJob.count({ where: { status: 'ready', expiresAt: { lte: new Date() } } })).toBe(0);
    // The link has lapsed, the file is kept for renewExportLink.
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: 'expired', filePath });
    expect(fs.existsSync(filePath!)).toBe(true);

    await kit.db.prisma.exportJob.update({ where: { id: started.id }, data: { completedAt: new Date(completedAt!.getTime() - 24 * 3_600_000 + 60_000) } });
    await kit.app.worker.sweep();
    expect(fs.existsSync(filePath!)).toBe(true);
    await kit.db.prisma.exportJob.update({ where: { id: started.id }, data: { completedAt: new Date(completedAt!.getTime() - 24 * 3_600_000) } });
    await kit.app.worker.sweep();
    expect(fs.existsSync(filePath!)).toBe(false);
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: 'expired', filePath: null });
  });

  it('of FULL as CSV are a zip of one CSV per report plus calls.csv', async () => {
    const { done } = await exportAndWait({ campaignId: '5', reportType: 'FULL', format: 'CSV', from: '2026-06-01', to: '2026-06-30' });
    const response = await fetch(done.downloadUrl);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="renewal-q3_full_2026-06-01_2026-06-30.zip"');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['calls.csv', 'dispositions.csv', 'dtmf.csv', 'funnel.csv', 'hangup.csv', 'heatmap.csv', 'kpis.csv', 'trend.csv']);
    const text = (name: string) => Buffer.from(files[name]!).toString().replace(/^\uFEFF/, '');
    expect(text('funnel.csv')).toBe(
      'Stage,Leads,Drop %\r\nImported lead,5,\r\nDialed,5,0\r\nAnswered,4,20\r\nPressed valid DTMF,3,25\r\nTransferred to agent,2,33.33\r\nAgent disposed,1,50\r\n',
    );
    const calls = text('calls.csv').trimEnd().split('\r\n');
    expect(calls).toHaveLength(11);
    expect(calls[1]).toBe('C-1,L-1,2026-06-01T02:00:00.000Z,,2026-06-01T02:00:00.000Z,answered,42,NORMAL_CLEARING,1,intro → press_1 → queue_sales,sales,success,interested');
    // A day's start and end as local times with their offset; the heatmap as the flat list.
    expect(text('trend.csv').split('\r\n').slice(0, 2)).toEqual([
      'Day,Start (Asia/Ho_Chi_Minh),End (Asia/Ho_Chi_Minh),Dialed,Answered,Answer rate %,Avg duration (s),Transfers',
      '2026-06-01,2026-06-01T00:00:00+07:00,2026-06-02T00:00:00+07:00,2,1,50,42,1',
    ]);
    expect(text('heatmap.csv').split('\r\n')[34]).toBe('Monday,9,2,1,50');
  });

  it('of FULL as CSV are the same bytes for the same data, dated the end of the window', async () => {
    const input = { campaignId: '5', reportType: 'FULL', format: 'CSV', from: '2026-06-01', to: '2026-06-30' };
    const first = Buffer.from(await (await fetch((await exportAndWait(input)).done.downloadUrl)).arrayBuffer());
    // At least one of the zip's 2-second time steps later: an export dated when it was written would differ.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const second = Buffer.from(await (await fetch((await exportAndWait(input)).done.downloadUrl)).arrayBuffer());
    expect(second.equals(first)).toBe(true);
    // The first local file header's DOS time and date (offsets 10 and 12): 2026-07-01 00:00.
    expect([first.readUInt16LE(10), first.readUInt16LE(12)]).toEqual([0, ((2026 - 1980) << 9) | (7 << 5) | 1]);
  });

  it('start a new Calls sheet when one is full', async () => {
    const file = path.join(os.tmpdir(), `calls-${process.pid}.xlsx`);
    const rows = async function* () {
      yield Array.from({ length: 5 }, (_, i) => [`C-${i}`, 'L', 'a', null, 'b', 'answered', i, 'NORMAL_CLEARING', null, '', null, null, null] as CallRow);
    };
    await writeXlsx(fs.createWriteStream(file), [], { rows: rows(), zone: 'UTC' }, undefined, 2);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    fs.rmSync(file);
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.rowCount])).toEqual([['Calls', 3], ['Calls 2', 3], ['Calls 3', 2]]);
  });
});

describe('the export worker', () => {
  it('picks up jobs left queued or running by a stopped instance', async () => {
    const base = { tenantId: 'acme', campaignId: 5, format: 'xlsx', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 2 } as const;
    const queued = await createJob(kit.db.prisma, { ...base, reportType: 'kpis' });
    const interrupted = await createJob(kit.db.prisma, { ...base, reportType: 'hangup' });
    await kit.db.prisma.exportJob.update({ where: { id: interrupted.id }, data: { status: 'running', progressPct: 40 } });
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-restart-'));
    const restarted = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir) });
    await restarted.start(0);
    await restarted.worker.idle();
    await restarted.stop();
    for (const id of [queued.id, interrupted.id]) {
      const job = await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id } });
      expect(job).toMatchObject({ status: 'ready', progressPct: 100 });
      expect(path.dirname(job.filePath!)).toBe(exportsDir);
    }
    fs.rmSync(exportsDir, { recursive: true });
  });

  it('reports progress as rows are written, in steps of 5 %, then READY at 100', async () => {
    const job = await createJob(kit.db.prisma, {
      tenantId: 'acme', campaignId: 5, reportType: 'full', format: 'xlsx', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 3,
    });
    const saved: unknown[] = [];
    const unobserve = kit.db.queryLog.observe((sql, args) => {
      if (/^UPDATE "public"\."export_job" SET "progress_pct"/.test(sql) && args.includes(job.id)) saved.push(args[0]);
    });
    try {
      await kit.app.worker.enqueue(job.id);
      await kit.app.worker.idle();
    } finally {
      unobserve();
    }
    expect(saved).toEqual(Array.from({ length: 19 }, (_, i) => 5 * (i + 1)));
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'ready', progressPct: 100 });
  });

  it('estimates a queued job\'s wait from the jobs ahead of it, of every tenant', async () => {
    const base = { campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC' } as const;
    const running = await createJob(kit.db.prisma, { ...base, tenantId: 'globex', estimatedSeconds: 10 });
    await kit.db.prisma.exportJob.update({ where: { id: running.id }, data: { status: 'running', progressPct: 40 } });
    const first = await createJob(kit.db.prisma, { ...base, tenantId: 'acme', estimatedSeconds: 7 });
    const second = await createJob(kit.db.prisma, { ...base, tenantId: 'acme', estimatedSeconds: 11 });
    const estimate = async (id: string, token = exporter) =>
      ((await kit.execute(`query ($id: ID!) { exportJob(id: $id) { estimatedSeconds } }`, { variables: { id }, token })).data as any).exportJob.estimatedSeconds;
    try {
      // The running job has 60 % of its 10 s left; the first queued job waits for it, the second for both.
      expect(await estimate(running.id, await kit.token({ tenantId: 'globex' }))).toBe(6);
      expect(await estimate(first.id)).toBe(7 + 6);
      expect(await estimate(second.id)).toBe(11 + 7 + 6);
      await kit.db.prisma.exportJob.update({ where: { id: running.id }, data: { status: 'failed' } });
      expect(await estimate(second.id)).toBe(11 + 7);
      expect(await estimate(running.id, await kit.token({ tenantId: 'globex' }))).toBe(0);
    } finally {
      await kit.db.prisma.exportJob.updateMany({ where: { id: { in: [running.id, first.id, second.id] } }, data: { status: 'failed' } });
    }
  });

  const kpisJob = { tenantId: 'acme', campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 2 } as const;
  const filesIn = (...dirs: string[]) => dirs.flatMap((dir) => fs.readdirSync(dir).map((name) => path.join(dir, name)));

  it('runs a job that two instances resume at the same time exactly once', async () => {
    const queued = await createJob(kit.db.prisma, kpisJob);
    const orphaned = await createJob(kit.db.prisma, kpisJob);
    await kit.db.prisma.exportJob.update({
      where: { id: orphaned.id },
      data: { status: 'running', claimId: 'stopped-instance', leaseExpiresAt: new Date(Date.now() - 1000) },
    });
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-claims-')));
    const [a, b] = dirs.map((exportsDir) => buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir) }));
    await Promise.all([a!.worker.resume(), b!.worker.resume()]);
    await Promise.all([a!.worker.idle(), b!.worker.idle()]);
    const jobs = await kit.db.prisma.exportJob.findMany({ where: { id: { in: [queued.id, orphaned.id] } } });
    expect(jobs.map((job) => job.status)).toEqual(['ready', 'ready']);
    expect(filesIn(...dirs).sort()).toEqual(jobs.map((job) => job.filePath).sort());
    for (const dir of dirs) fs.rmSync(dir, { recursive: true });
  });

  it('lets only one of two workers claim a job', async () => {
    const job = await createJob(kit.db.prisma, kpisJob);
    const claims = await Promise.all(['a', 'b'].map((claimId) => claimJob(kit.db.prisma, job.id, claimId)));
    expect(claims.filter(Boolean)).toEqual([true]);
    await kit.db.prisma.exportJob.update({ where: { id: job.id }, data: { status: 'failed' } });
  });

  it('leaves a running job alone while its claim is renewed, and takes it over once the claim lapses', async () => {
    const job = await createJob(kit.db.prisma, kpisJob);
    const alive = { status: 'running', claimId: 'other-instance', leaseExpiresAt: new Date(Date.now() + 60_000) } as const;
    await kit.db.prisma.exportJob.update({ where: { id: job.id }, data: alive });
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-claims-'));
    const app = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir) });
    await app.worker.resume();
    await app.worker.idle();
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject(alive);
    expect(filesIn(exportsDir)).toEqual([]);

    await kit.db.prisma.exportJob.update({ where: { id: job.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await app.worker.resume();
    await app.worker.idle();
    const taken = await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(taken).toMatchObject({ status: 'ready', leaseExpiresAt: null });
    expect(taken.claimId).not.toBe('other-instance');
    expect(filesIn(exportsDir)).toEqual([taken.filePath]);
    fs.rmSync(exportsDir, { recursive: true });
  });

  it('stops and removes its file when another claim takes the job over mid-run', async () => {
    const job = await createJob(kit.db.prisma, { ...kpisJob, reportType: 'full', format: 'xlsx' });
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-claims-'));
    const pubsub = createPubSub<Topics>();
    let takeover: Promise<unknown> | undefined;
    // As soon as this worker announces RUNNING, another instance takes the job (as if this one had
    // stalled past its lease).
    const racing: PubSub = {
      ...pubsub,
      publish: (...args) => {
        // then() sends the query now: Prisma's queries are lazy until awaited.
        takeover ??= kit.db.prisma.exportJob.update({ where: { id: job.id }, data: { claimId: 'usurper' } }).then();
        pubsub.publish(...args);
      },
    };
    const worker = new ExportWorker(kit.db, racing, new LocalExportStore(exportsDir));
    await worker.enqueue(job.id);
    await worker.idle();
    await takeover;
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'running',
      claimId: 'usurper',
      filePath: null,
    });
    expect(filesIn(exportsDir)).toEqual([]);
    fs.rmSync(exportsDir, { recursive: true });
  });

  it('removes the partial file of a worker killed mid-export once another claim has finished the job', async () => {
    const job = await createJob(kit.db.prisma, { ...kpisJob, reportType: 'full', format: 'xlsx' });
    // What kill -9 leaves behind: the job RUNNING under a claim nobody renews, and that claim's partial file.
    await kit.db.prisma.exportJob.update({
      where: { id: job.id },
      data: { status: 'running', progressPct: 42, claimId: 'deadbeef-0000-4000-8000-000000000000', leaseExpiresAt: new Date(Date.now() - 1000) },
    });
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-killed-'));
    fs.writeFileSync(path.join(exportsDir, `${job.id}-deadbeef.xlsx`), 'PK half a workbook');
    const app = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir) });
    await app.worker.resume();
    await app.worker.idle();
    const done = await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done.status).toBe('ready');
    expect(filesIn(exportsDir)).toEqual([done.filePath]);
    fs.rmSync(exportsDir, { recursive: true });
  });

  it('sweeps every file that neither a READY job nor a live claim owns', async () => {
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-sweep-'));
    const failed = await createJob(kit.db.prisma, kpisJob);
    await kit.db.prisma.exportJob.update({ where: { id: failed.id }, data: { status: 'failed' } });
    const running = await createJob(kit.db.prisma, kpisJob);
    const liveClaim = 'bbbbbbbb-0000-4000-8000-000000000000';
    await kit.db.prisma.exportJob.update({ where: { id: running.id }, data: { status: 'running', claimId: liveClaim, leaseExpiresAt: new Date(Date.now() + 60_000) } });
    const file = (name: string) => {
      fs.writeFileSync(path.join(exportsDir, name), 'x');
      return path.join(exportsDir, name);
    };
    file(`${failed.id}-aaaaaaaa.csv`);
    file(`${running.id}-cccccccc.csv`);
    const beingWritten = file(`${running.id}-bbbbbbbb.csv`);
    const unrelated = file('README.txt');
    await new ExportWorker(kit.db, createPubSub<Topics>(), new LocalExportStore(exportsDir)).sweep();
    expect(filesIn(exportsDir).sort()).toEqual([unrelated, beingWritten].sort());
    await kit.db.prisma.exportJob.update({ where: { id: running.id }, data: { status: 'failed' } });
    fs.rmSync(exportsDir, { recursive: true });
  });

  it('on stop, ends a running export at its next page, queues the job again and removes its file', async () => {
    const job = await createJob(kit.db.prisma, { ...kpisJob, reportType: 'full', format: 'xlsx' });
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-stop-'));
    const app = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir) });
    let stopped: Promise<{ cut: number }> | undefined;
    // The instance is told to stop as the job reports its first progress, with its calls still to write.
    const unobserve = kit.db.queryLog.observe((sql) => {
      if (/^UPDATE "public"\."export_job" SET "progress_pct"/.test(sql)) stopped ??= app.stop();
    });
    try {
      await app.worker.enqueue(job.id);
      await expect.poll(() => stopped, { timeout: 10_000 }).toBeDefined();
      expect(await stopped).toEqual({ cut: 0 });
    } finally {
      unobserve();
    }
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'queued',
      progressPct: 0,
      claimId: null,
      filePath: null,
    });
    expect(filesIn(exportsDir)).toEqual([]);
    await kit.db.prisma.exportJob.update({ where: { id: job.id }, data: { status: 'failed' } });
    fs.rmSync(exportsDir, { recursive: true });
  });

  it('ends a job it cannot write FAILED with the reason', async () => {
    const broken = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore('/dev/null/exports') });
    const job = await createJob(kit.db.prisma, {
      tenantId: 'acme', campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 2,
    });
    broken.worker.enqueue(job.id);
    await broken.worker.idle();
    const response = await kit.execute(JOB, { variables: { id: job.id }, token: exporter });
    expect(response.data).toMatchObject({
      exportJob: { status: 'FAILED', downloadUrl: null, error: 'Export failed: could not write the export file (ENOTDIR)' },
    });
  });
});

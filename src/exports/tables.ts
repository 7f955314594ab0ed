import type { DispositionReport, DtmfReport, FunnelStage, HangupReport, HeatmapCell, TrendBucket } from '../reports/shapes.js';
import type { Kpis } from '../reports/kpis.js';
import { percentage } from '../reports/percent.js';

/** A value of a table: a Date is an instant, shown as the wall-clock time in the table's zone. */
export type TableValue = string | number | Date | null;

/**
 * A report as a sheet (or a CSV file): columns with headers, widths and Excel number formats, then
 * plain rows.
 */
export interface Table {
  name: string;
  columns: { header: string; width: number; numFmt?: string }[];
  rows: TableValue[][];
  /** A number format per row, where a column holds values of different kinds (KPIs' Value). */
  rowFormats?: (string | undefined)[];
  /** The zone of the rows' Dates. */
  zone?: string;
  /** Lines a workbook states above the table (what it covers); CSV files hold the rows alone. */
  notes?: string[];
  /**
   * Grids a workbook shows on this sheet instead, each with a colour scale; the rows then follow
   * on a sheet of their own, "<name> data", for people who pivot. CSV files hold the rows.
   */
  grids?: Grid[];
}

/** A table of numbers with row and column labels, totals last, and a colour scale over the rest. */
export interface Grid {
  title: string;
  numFmt: string;
  /** Labels of the columns, the totals' last. */
  columns: (string | number)[];
  /** Rows of a label and one value per column, the totals' last. */
  rows: { label: string; values: (number | null)[] }[];
}

/** What an export covers, as its sheets state it. */
export interface ExportScope {
  campaign: { id: number; name: string };
  firstDay: string;
  lastDay: string;
  zone: string;
}

const INT = '#,##0';
const PCT = '0.00';
const TEXT = '@';
const pct = (value: string | null) => (value === null ? null : Number(value));

const scopeNotes = (scope: ExportScope) => [
  `Campaign: ${scope.campaign.name} (id ${scope.campaign.id})`,
  `Window: ${scope.firstDay} to ${scope.lastDay}, whole days in ${scope.zone}`,
];

export function kpisTable(kpis: Kpis, scope: ExportScope): Table {
  const rows: [string, string | number | null, string][] = [
    ['Total leads', kpis.totalLeads, INT],
    ['Dialed', kpis.dialed, INT],
    ['Answered', kpis.answered, INT],
    ['No answer', kpis.noAnswer, INT],
    ['Busy', kpis.busy, INT],
    ['Failed', kpis.failed, INT],
    ['Abandoned', kpis.abandoned, INT],
    ['Answer rate %', pct(kpis.answerRatePct), PCT],
    ['Average call duration (s)', kpis.avgCallDurationSec, INT],
    ['Total talk time (s)', kpis.totalTalkTimeSec, INT],
    ['Talk time p50 (s)', kpis.talkTimePercentiles.p50, INT],
    ['Talk time p90 (s)', kpis.talkTimePercentiles.p90, INT],
    ['Talk time p95 (s)', kpis.talkTimePercentiles.p95, INT],
    ['Talk time p99 (s)', kpis.talkTimePercentiles.p99, INT],
    ...kpis.dtmfDistribution.map(({ key, count }): [string, number, string] => [`DTMF ${key}`, count, INT]),
    ['Transfers to queue', kpis.transferToQueueCount, INT],
    ['Transfer success rate %', pct(kpis.transferSuccessRatePct), PCT],
  ];
  return {
    name: 'KPIs',
    notes: scopeNotes(scope),
    columns: [{ header: 'Metric', width: 28 }, { header: 'Value', width: 14 }],
    rows: rows.map(([metric, value]) => [metric, value]),
    rowFormats: rows.map(([, , format]) => format),
  };
}

/** Excel's date-time format, in which a workbook shows the Dates of a table. */
export const DATE_TIME = 'yyyy-mm-dd hh:mm:ss';

export function trendTable(buckets: TrendBucket[], scope: ExportScope): Table {
  return {
    name: 'Trend',
    zone: scope.zone,
    notes: [...scopeNotes(scope), `One row per day; Start and End are local times in ${scope.zone} (End is where the next day starts).`],
    columns: [
      { header: 'Day', width: 14, numFmt: TEXT },
      { header: `Start (${scope.zone})`, width: 22, numFmt: DATE_TIME },
      { header: `End (${scope.zone})`, width: 22, numFmt: DATE_TIME },
      { header: 'Dialed', width: 10, numFmt: INT },
      { header: 'Answered', width: 10, numFmt: INT },
      { header: 'Answer rate %', width: 14, numFmt: PCT },
      { header: 'Avg duration (s)', width: 16, numFmt: INT },
      { header: 'Transfers', width: 10, numFmt: INT },
    ],
    rows: buckets.map((b) => [b.bucket, b.start, b.end, b.dialed, b.answered, pct(b.answerRatePct), b.avgDurationSec, b.transferCount]),
  };
}

export function hangupTable(report: HangupReport): Table {
  return {
    name: 'Hangup',
    columns: [{ header: 'Hangup cause', width: 26 }, { header: 'Calls', width: 10, numFmt: INT }, { header: 'Share %', width: 10, numFmt: PCT }],
    rows: report.byHangupCause.map((cause) => [cause.hangupCause, cause.count, pct(cause.pct)]),
  };
}

export function dispositionsTable(report: DispositionReport): Table {
  return {
    name: 'Dispositions',
    columns: [{ header: 'Disposition', width: 22 }, { header: 'Calls', width: 10, numFmt: INT }, { header: 'Share %', width: 10, numFmt: PCT }],
    rows: report.byDisposition.map((item) => [item.disposition, item.count, pct(item.pct)]),
  };
}

export function dtmfTable(report: DtmfReport): Table {
  return {
    name: 'DTMF',
    columns: [
      { header: 'Digit', width: 8 },
      { header: 'Label', width: 28 },
      { header: 'Calls', width: 10, numFmt: INT },
      { header: 'Share %', width: 10, numFmt: PCT },
    ],
    rows: [
      ...report.byDigit.map((digit): (string | number | null)[] => [digit.digit, digit.label, digit.count, pct(digit.pct)]),
      ['no_input', null, report.noInput, pct(report.noInputRatePct)],
    ],
  };
}

export function funnelTable(stages: FunnelStage[]): Table {
  return {
    name: 'Funnel',
    columns: [{ header: 'Stage', width: 24 }, { header: 'Leads', width: 10, numFmt: INT }, { header: 'Drop %', width: 10, numFmt: PCT }],
    rows: stages.map((stage) => [stage.stage, stage.count, pct(stage.dropRatePct)]),
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Days as a person reads a week: Monday first. */
const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * The heatmap as three 7 × 24 grids (dialed, answered, answer rate), Monday first, with totals per
 * day and per hour; a total's answer rate is that of its calls, not an average of rates.
 */
export function heatmapGrids(cells: HeatmapCell[]): Grid[] {
  const cell = (day: number, hour: number) => cells[day * 24 + hour]!;
  const sum = (day: number | null, hour: number | null, field: 'dialed' | 'answered') =>
    cells.filter((c) => (day === null || c.dayOfWeek === day) && (hour === null || c.hour === hour)).reduce((total, c) => total + c[field], 0);
  const rate = (day: number | null, hour: number | null) => pct(percentage(sum(day, hour, 'answered'), sum(day, hour, 'dialed')));
  const grid = (title: string, numFmt: string, value: (day: number | null, hour: number | null) => number | null): Grid => ({
    title,
    numFmt,
    columns: [...HOURS, 'Total'],
    rows: [
      ...MONDAY_FIRST.map((day) => ({ label: WEEKDAYS[day]!, values: [...HOURS.map((hour) => value(day, hour)), value(day, null)] })),
      { label: 'Total', values: [...HOURS.map((hour) => value(null, hour)), value(null, null)] },
    ],
  });
  return [
    grid('Dialed', INT, (day, hour) => (day !== null && hour !== null ? cell(day, hour).dialed : sum(day, hour, 'dialed'))),
    grid('Answered', INT, (day, hour) => (day !== null && hour !== null ? cell(day, hour).answered : sum(day, hour, 'answered'))),
    grid('Answer rate %', PCT, rate),
  ];
}

export function heatmapTable(cells: HeatmapCell[], scope: ExportScope): Table {
  return {
    name: 'Heatmap',
    notes: [...scopeNotes(scope), `Weekdays and hours are local times in ${scope.zone}; hours across, days down.`],
    grids: heatmapGrids(cells),
    columns: [
      { header: 'Weekday', width: 12 },
      { header: 'Hour', width: 6 },
      { header: 'Dialed', width: 10, numFmt: INT },
      { header: 'Answered', width: 10, numFmt: INT },
      { header: 'Answer rate %', width: 14, numFmt: PCT },
    ],
    rows: cells.map((cell) => [WEEKDAYS[cell.dayOfWeek]!, cell.hour, cell.dialed, cell.answered, pct(cell.answerRatePct)]),
  };
}

/** The Calls sheet's columns; with a zone, the three times are Excel date-times in it (else ISO text in UTC). */
export function callColumns(zone?: string): Table['columns'] {
  const time = (header: string) =>
    zone ? { header: `${header} (${zone})`, width: 30, numFmt: DATE_TIME } : { header, width: 26 };
  return [
    { header: 'Call id', width: 14 },
    { header: 'Lead id', width: 14 },
    time('Started at'),
    time('Answered at'),
    time('Ended at'),
    { header: 'Result', width: 11 },
    { header: 'Billsec', width: 8, numFmt: INT },
    { header: 'Hangup cause', width: 22 },
    { header: 'DTMF', width: 6 },
    { header: 'Script path', width: 40 },
    { header: 'Transfer queue', width: 14 },
    { header: 'Transfer status', width: 14 },
    { header: 'Disposition', width: 16 },
  ];
}

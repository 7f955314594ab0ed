import type { DispositionReport, DtmfReport, FunnelStage, HangupReport, HeatmapCell, TrendBucket } from '../reports/shapes.js';
import type { Kpis } from '../reports/kpis.js';

/** A report as a sheet: columns with headers, widths and Excel number formats, then plain rows. */
export interface Table {
  name: string;
  columns: { header: string; width: number; numFmt?: string }[];
  rows: (string | number | null)[][];
  /** A number format per row, where a column holds values of different kinds (KPIs' Value). */
  rowFormats?: (string | undefined)[];
}

const INT = '#,##0';
const PCT = '0.00';
const pct = (value: string | null) => (value === null ? null : Number(value));

export function kpisTable(kpis: Kpis): Table {
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
    columns: [{ header: 'Metric', width: 28 }, { header: 'Value', width: 14 }],
    rows: rows.map(([metric, value]) => [metric, value]),
    rowFormats: rows.map(([, , format]) => format),
  };
}

export function trendTable(buckets: TrendBucket[]): Table {
  return {
    name: 'Trend',
    columns: [
      { header: 'Day', width: 14 },
      { header: 'Dialed', width: 10, numFmt: INT },
      { header: 'Answered', width: 10, numFmt: INT },
      { header: 'Answer rate %', width: 14, numFmt: PCT },
      { header: 'Avg duration (s)', width: 16, numFmt: INT },
      { header: 'Transfers', width: 10, numFmt: INT },
    ],
    rows: buckets.map((b) => [b.bucket, b.dialed, b.answered, pct(b.answerRatePct), b.avgDurationSec, b.transferCount]),
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

export function heatmapTable(cells: HeatmapCell[]): Table {
  return {
    name: 'Heatmap',
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

/** An Excel date-time format; the cells hold local times of the export's zone, which the header names. */
const DATE_TIME = 'yyyy-mm-dd hh:mm:ss';

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

import { DateTime } from 'luxon';
import { offsetMinutes } from './offsets.js';
import { addDays, dayCount, dayRangeWindow, dayStarts, type DayRange } from './window.js';
import { InvalidArgumentError } from './errors.js';

export type Granularity = 'quarter_hour' | 'hour' | 'day' | 'week' | 'month';

const STEP_MS = { hour: 3_600_000, quarter_hour: 900_000 } as const;

/** Local days a DAY, WEEK or MONTH trend may span: three years, so a DAY answer holds at most 1,097 buckets. */
export const MAX_DAILY_YEARS = 3;

/** The longest range, in local days, of the sub-day granularities. */
const MAX_DAYS = { hour: 31, quarter_hour: 7 } as const;
const NAMES = { hour: 'HOUR', quarter_hour: 'QUARTER_HOUR' } as const;

/** Refuses ranges too long for their buckets: QUARTER_HOUR over 7 days, HOUR over 31, the others over 3 years. */
export function checkTrendRange(range: DayRange, granularity: Granularity): void {
  const days = dayCount(range);
  if ((granularity === 'hour' || granularity === 'quarter_hour') && days > MAX_DAYS[granularity]) {
    throw new InvalidArgumentError('granularity', `${NAMES[granularity]} covers at most ${MAX_DAYS[granularity]} days; this window has ${days}`);
  }
  const lastAllowed = addDays(addYears(range.firstDay, MAX_DAILY_YEARS), -1);
  if (range.lastDay > lastAllowed) {
    throw new InvalidArgumentError('to', `must be less than ${MAX_DAILY_YEARS} years after "from" (${range.firstDay}): at most ${lastAllowed}`);
  }
}

/** The same day `years` later; 29 February becomes 28 February where that year has none. */
function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year + years, month, 0)).getUTCDate();
  return new Date(Date.UTC(year + years, month - 1, Math.min(day, daysInMonth))).toISOString().slice(0, 10);
}

/** One bucket of a trend: its label, the instants [start, end) it covers, and the steps it sums. */
export interface TrendBucketSpan {
  label: string;
  start: Date;
  end: Date;
  /** The numbers of the steps (see TrendPlan) that make it up. */
  steps: number[];
}

/** A trend's buckets, and the steps of time the database counts calls in (local days, hours or quarter hours). */
export interface TrendPlan {
  buckets: TrendBucketSpan[];
  /** Step n is [bounds[n], bounds[n + 1]): the range's start, every later step's start, the range's end. */
  bounds: Date[];
}

const ISO_WEEKDAY_FROM_MONDAY = [6, 0, 1, 2, 3, 4, 5];
const LABELS = {
  day: (date: string) => date,
  /** ISO weeks are labelled by their Monday. */
  week: (date: string) => addDays(date, -ISO_WEEKDAY_FROM_MONDAY[new Date(Date.parse(date)).getUTCDay()]!),
  month: (date: string) => date.slice(0, 7),
};

/**
 * Every bucket of a day range, in order. Days are local calendar days ("2026-06-28"); hours and
 * quarter hours are local times with their offset ("2026-06-28T09:15:00+07:00"), found by stepping
 * real time from the first local midnight, so a DST day has 23 or 25 hours and a repeated hour
 * appears with both offsets. Weeks (ISO, labelled by their Monday) and months ("2026-06") hold the
 * days of the range they contain: the first and last may be clipped, and their start and end say so.
 */
export function planTrend(range: DayRange, granularity: Granularity): TrendPlan {
  checkTrendRange(range, granularity);
  if (granularity === 'hour' || granularity === 'quarter_hour') {
    const { from, to } = dayRangeWindow(range);
    const step = STEP_MS[granularity];
    const label = granularity === 'hour' ? hourLabel : quarterLabel;
    const bounds: Date[] = [];
    for (let at = from.getTime(); at < to.getTime(); at += step) bounds.push(new Date(at));
    const buckets = bounds.map((start, n) => ({ label: label(start.getTime(), range.zone), start, end: bounds[n + 1] ?? to, steps: [n] }));
    return { buckets, bounds: [...bounds, to] };
  }
  const labelOf = LABELS[granularity];
  const bounds = dayStarts(range);
  const buckets: TrendBucketSpan[] = [];
  for (let n = 0, date = range.firstDay; n < bounds.length - 1; n += 1, date = addDays(date, 1)) {
    const label = labelOf(date);
    const last = buckets.at(-1);
    if (last?.label === label) {
      last.end = bounds[n + 1]!;
      last.steps.push(n);
    } else {
      buckets.push({ label, start: bounds[n]!, end: bounds[n + 1]!, steps: [n] });
    }
  }
  return { buckets, bounds };
}

/** Local wall time with its offset, written from its minutes. */
const withOffset = (wall: string, offsetMinutes: number) => {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/**
 * The local hour of an instant with its offset, "2026-06-28T09:00:00+07:00", written from the
 * offset alone: luxon's DateTime costs a month of HOUR buckets several milliseconds. Offsets that
 * are not whole quarter hours (local mean time before 1972, with seconds) take luxon's startOf('hour').
 */
export function hourLabel(epochMs: number, zone: string): string {
  const offset = offsetMinutes(zone, epochMs);
  if (offset % 15 !== 0) return DateTime.fromMillis(epochMs, { zone }).startOf('hour').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  const local = new Date(Math.floor((epochMs + offset * 60_000) / 3_600_000) * 3_600_000);
  return withOffset(`${local.toISOString().slice(0, 13)}:00:00`, offset);
}

/**
 * The local quarter hour of an instant with its offset, "2026-06-28T09:15:00+07:00". Every offset in
 * use since 1972 is whole quarter hours, so steps of 15 minutes from a local midnight stay on them.
 */
export function quarterLabel(epochMs: number, zone: string): string {
  const offset = offsetMinutes(zone, epochMs);
  const local = new Date(Math.floor((epochMs + offset * 60_000) / 900_000) * 900_000);
  return withOffset(`${local.toISOString().slice(0, 16)}:00`, offset);
}

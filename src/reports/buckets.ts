import { DateTime, IANAZone } from 'luxon';
import { dayCount, dayRangeWindow, type DayRange } from './window.js';
import { InvalidArgumentError } from './errors.js';

export type Granularity = 'quarter_hour' | 'hour' | 'day' | 'week' | 'month';

/** What the database groups by: local days, or steps of real time from the range's first local midnight. */
export type Step = 'day' | 'hour' | 'quarter_hour';

export const STEP_MS = { hour: 3_600_000, quarter_hour: 900_000 } as const;

/** Weeks and months are sums of their days; the finer granularities are their own steps. */
export const stepOf = (granularity: Granularity): Step => (granularity === 'week' || granularity === 'month' ? 'day' : granularity);

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
  const lastAllowed = DateTime.fromISO(range.firstDay).plus({ years: MAX_DAILY_YEARS }).minus({ days: 1 }).toISODate()!;
  if (range.lastDay > lastAllowed) {
    throw new InvalidArgumentError('to', `must be less than ${MAX_DAILY_YEARS} years after "from" (${range.firstDay}): at most ${lastAllowed}`);
  }
}

/** One bucket of a trend: its label, the instants [start, end) it covers, and the count rows it sums. */
export interface TrendBucketSpan {
  label: string;
  start: Date;
  end: Date;
  /** The keys of the database's rows (see Step) that fall in it: local days, or step numbers. */
  keys: string[];
}

/**
 * Every bucket of a day range, in order. Days are local calendar days ("2026-06-28"); hours and
 * quarter hours are local times with their offset ("2026-06-28T09:15:00+07:00"), found by stepping
 * real time from the first local midnight, so a DST day has 23 or 25 hours and a repeated hour
 * appears with both offsets. Weeks (ISO, labelled by their Monday) and months ("2026-06") hold the
 * days of the range they contain: the first and last may be clipped, and their start and end say so.
 */
export function trendBuckets(range: DayRange, granularity: Granularity): TrendBucketSpan[] {
  checkTrendRange(range, granularity);
  if (granularity === 'hour' || granularity === 'quarter_hour') {
    const { from, to } = dayRangeWindow(range);
    const step = STEP_MS[granularity];
    const label = granularity === 'hour' ? hourLabel : quarterLabel;
    const buckets: TrendBucketSpan[] = [];
    for (let at = from.getTime(), n = 0; at < to.getTime(); at += step, n += 1) {
      buckets.push({ label: label(at, range.zone), start: new Date(at), end: new Date(at + step), keys: [String(n)] });
    }
    return buckets;
  }
  const labelOf = {
    day: (_day: DateTime, date: string) => date,
    week: (day: DateTime) => day.startOf('week').toISODate()!,
    month: (day: DateTime) => day.toFormat('yyyy-MM'),
  }[granularity];
  const buckets: TrendBucketSpan[] = [];
  // Each luxon step in a zone costs microseconds, a month of days a millisecond or more: each day's
  // start is the previous day's end, and its date is written once.
  let day = DateTime.fromISO(range.firstDay, { zone: range.zone });
  let start = day.startOf('day').toJSDate();
  for (let i = dayCount(range); i > 0; i -= 1) {
    const date = day.toISODate()!;
    const label = labelOf(day, date);
    const nextDay = day.plus({ days: 1 });
    const next = nextDay.startOf('day').toJSDate();
    const last = buckets.at(-1);
    if (last?.label === label) {
      last.end = next;
      last.keys.push(date);
    } else {
      buckets.push({ label, start, end: next, keys: [date] });
    }
    day = nextDay;
    start = next;
  }
  return buckets;
}

/** Local wall time with its offset; the offset is written from luxon's minutes. */
const withOffset = (wall: string, offsetMinutes: number) => {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/**
 * The local hour of an instant with its offset, "2026-06-28T09:00:00+07:00". Where the offset is
 * whole hours (nearly every zone), the label is written from the offset alone: luxon's DateTime
 * costs a month of HOUR buckets several milliseconds. Other offsets take luxon's startOf('hour').
 */
export function hourLabel(epochMs: number, zone: string): string {
  const offsetMinutes = IANAZone.create(zone).offset(epochMs);
  if (offsetMinutes % 60 !== 0) return DateTime.fromMillis(epochMs, { zone }).startOf('hour').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  const local = new Date(Math.floor((epochMs + offsetMinutes * 60_000) / 3_600_000) * 3_600_000);
  return withOffset(`${local.toISOString().slice(0, 13)}:00:00`, offsetMinutes);
}

/**
 * The local quarter hour of an instant with its offset, "2026-06-28T09:15:00+07:00". Every offset in
 * use since 1972 is whole quarter hours, so steps of 15 minutes from a local midnight stay on them.
 */
export function quarterLabel(epochMs: number, zone: string): string {
  const offsetMinutes = IANAZone.create(zone).offset(epochMs);
  const local = new Date(Math.floor((epochMs + offsetMinutes * 60_000) / 900_000) * 900_000);
  return withOffset(`${local.toISOString().slice(0, 16)}:00`, offsetMinutes);
}

import { DateTime, IANAZone } from 'luxon';
import { dayCount, dayRangeWindow, MAX_HOURLY_DAYS, type DayRange } from './window.js';
import { InvalidArgumentError } from './errors.js';

export type Granularity = 'day' | 'hour';

/** Local days a DAY trend may span: three years, so one answer holds at most 1,097 buckets. */
export const MAX_DAILY_YEARS = 3;

/** Refuses ranges too long for their buckets: HOUR over more than 31 days, DAY over 3 years or more. */
export function checkTrendRange(range: DayRange, granularity: Granularity): void {
  const days = dayCount(range);
  if (granularity === 'hour' && days > MAX_HOURLY_DAYS) {
    throw new InvalidArgumentError('granularity', `HOUR covers at most ${MAX_HOURLY_DAYS} days; this window has ${days}`);
  }
  const lastAllowed = DateTime.fromISO(range.firstDay).plus({ years: MAX_DAILY_YEARS }).minus({ days: 1 }).toISODate()!;
  if (range.lastDay > lastAllowed) {
    throw new InvalidArgumentError('to', `must be less than ${MAX_DAILY_YEARS} years after "from" (${range.firstDay}): at most ${lastAllowed}`);
  }
}

/**
 * Every bucket label of a day range, in order. Days are local calendar days ("2026-06-28"); hours
 * are local hours with their offset ("2026-06-28T09:00:00+07:00"), found by stepping one real hour
 * at a time, so a DST day has 23 or 25 of them and a repeated hour appears with both offsets.
 */
export function bucketLabels(range: DayRange, granularity: Granularity): string[] {
  checkTrendRange(range, granularity);
  const days = dayCount(range);
  const labels: string[] = [];
  if (granularity === 'day') {
    let day = DateTime.fromISO(range.firstDay);
    for (let i = 0; i < days; i += 1, day = day.plus({ days: 1 })) labels.push(day.toISODate()!);
    return labels;
  }
  const { from, to } = dayRangeWindow(range);
  for (let at = from.getTime(); at < to.getTime(); at += 3_600_000) labels.push(hourLabel(at, range.zone));
  return labels;
}

/**
 * The local hour of an instant with its offset, "2026-06-28T09:00:00+07:00". Where the offset is
 * whole hours (nearly every zone), the label is written from the offset alone: luxon's DateTime
 * costs a month of HOUR buckets several milliseconds. Other offsets take luxon's startOf('hour').
 */
export function hourLabel(epochMs: number, zone: string): string {
  const offsetMinutes = IANAZone.create(zone).offset(epochMs);
  if (offsetMinutes % 60 !== 0) return DateTime.fromMillis(epochMs, { zone }).startOf('hour').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  const local = new Date(Math.floor((epochMs + offsetMinutes * 60_000) / 3_600_000) * 3_600_000);
  const hours = Math.abs(offsetMinutes) / 60;
  return `${local.toISOString().slice(0, 13)}:00:00${offsetMinutes < 0 ? '-' : '+'}${String(hours).padStart(2, '0')}:00`;
}

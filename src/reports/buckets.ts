import { DateTime } from 'luxon';
import { dayCount, dayRangeWindow, MAX_DAILY_DAYS, MAX_HOURLY_DAYS, type DayRange } from './window.js';
import { InvalidArgumentError } from './errors.js';

export type Granularity = 'day' | 'hour';

/**
 * Every bucket label of a day range, in order. Days are local calendar days ("2026-06-28"); hours
 * are local hours with their offset ("2026-06-28T09:00:00+07:00"), found by stepping one real hour
 * at a time, so a DST day has 23 or 25 of them and a repeated hour appears with both offsets.
 */
export function bucketLabels(range: DayRange, granularity: Granularity): string[] {
  const days = dayCount(range);
  if (granularity === 'hour' && days > MAX_HOURLY_DAYS) {
    throw new InvalidArgumentError('granularity', `HOUR covers at most ${MAX_HOURLY_DAYS} days; this window has ${days}`);
  }
  if (days > MAX_DAILY_DAYS) throw new InvalidArgumentError('from', `covers at most ${MAX_DAILY_DAYS} days; this window has ${days}`);
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

export function hourLabel(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).startOf('hour').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

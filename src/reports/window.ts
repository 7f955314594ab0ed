import { DateTime, IANAZone } from 'luxon';
import { InvalidArgumentError } from './errors.js';

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

/** A report window: calls with from ≤ started_at < to. */
export interface Window {
  from: Date;
  to: Date;
}

export function resolveTimezone(timezone: string | null | undefined): string {
  const zone = timezone ?? DEFAULT_TIMEZONE;
  if (!IANAZone.isValidZone(zone)) throw new InvalidArgumentError('timezone', `must be an IANA time zone name, got "${zone}"`);
  return zone;
}

/**
 * A DateTime argument given without an offset ("2026-06-01T08:00:00" or "2026-06-01"): a wall-clock
 * time, read in the report's time zone as a REST caller expects.
 */
export class LocalDateTime {
  constructor(readonly text: string) {}
}

/** What a DateTime argument parses to: an instant, or a local time still to be placed in a zone. */
export type InstantInput = Date | LocalDateTime;

/**
 * The instant of a local time in `zone`. A time that a DST change skips is moved forward by the gap;
 * one that happens twice is the first of the two.
 */
export function instantIn(value: InstantInput, zone: string): Date {
  return value instanceof LocalDateTime ? DateTime.fromISO(value.text, { zone }).toJSDate() : value;
}

/**
 * DateTime bounds: from defaults to the campaign's start, to defaults to now; bounds without an
 * offset are local times in `zone`.
 */
export function resolveWindow(
  args: { from?: InstantInput | null; to?: InstantInput | null },
  campaignStart: Date | null,
  now: Date,
  zone: string = DEFAULT_TIMEZONE,
): Window {
  const from = args.from ? instantIn(args.from, zone) : (campaignStart ?? new Date(0));
  const to = args.to ? instantIn(args.to, zone) : now;
  if (from > to) {
    throw new InvalidArgumentError('from', `(${from.toISOString()}) must not be after "to" (${to.toISOString()})`);
  }
  return { from, to };
}

/** The window of equal length just before: [from − (to − from), from). */
export function previousWindow({ from, to }: Window): Window {
  return { from: new Date(2 * from.getTime() - to.getTime()), to: from };
}

export interface DayRange {
  /** First and last calendar day, both included, as YYYY-MM-DD in the zone. */
  firstDay: string;
  lastDay: string;
  zone: string;
}

/** Date bounds (to inclusive) in a zone: from defaults to the campaign's start day, to to today. */
export function resolveDayRange(
  args: { from?: string | null; to?: string | null },
  zone: string,
  campaignStart: Date | null,
  now: Date,
): DayRange {
  const localDay = (instant: Date) => DateTime.fromJSDate(instant, { zone }).toISODate()!;
  const firstDay = args.from ?? localDay(campaignStart ?? now);
  const lastDay = args.to ?? localDay(now);
  if (firstDay > lastDay) throw new InvalidArgumentError('from', `(${firstDay}) must not be after "to" (${lastDay})`);
  return { firstDay, lastDay, zone };
}

export function dayCount({ firstDay, lastDay }: DayRange): number {
  return DateTime.fromISO(lastDay).diff(DateTime.fromISO(firstDay), 'days').days + 1;
}

/** The instants a day range covers: local midnight of the first day to local midnight after the last. */
export function dayRangeWindow({ firstDay, lastDay, zone }: DayRange): Window {
  return {
    from: DateTime.fromISO(firstDay, { zone }).startOf('day').toJSDate(),
    to: DateTime.fromISO(lastDay, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

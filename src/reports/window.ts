import { DateTime, IANAZone } from 'luxon';
import { InvalidArgumentError } from './errors.js';
import { offsetMinutes } from './offsets.js';

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

/** A report window: calls with from ≤ started_at < to. */
export interface Window {
  from: Date;
  to: Date;
}

/** How many zone names are remembered: the zones in use, in every spelling clients send. */
const KNOWN_ZONES_MAX = 1_000;
const knownZones = new Set<string>();
/** The names ICU lists are valid without building a formatter to try them (others, such as Asia/Ho_Chi_Minh, are its aliases). */
const ICU_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

/**
 * The name the reports use for an IANA zone, or null for none. Checking a name builds an
 * Intl.DateTimeFormat (0.1-1 ms), so valid names are remembered. Any letter case of a zone's name
 * is valid, and luxon and offsetMinutes keep a formatter per name: once KNOWN_ZONES_MAX names are
 * known, others become ICU's canonical name for the zone, so no client can grow those caches
 * without bound.
 */
export function knownZone(name: string): string | null {
  if (knownZones.has(name)) return name;
  if (!ICU_ZONES.has(name) && !IANAZone.isValidZone(name)) return null;
  if (knownZones.size < KNOWN_ZONES_MAX) {
    knownZones.add(name);
    return name;
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

export function resolveTimezone(timezone: string | null | undefined): string {
  const zone = knownZone(timezone ?? DEFAULT_TIMEZONE);
  if (zone === null) throw new InvalidArgumentError('timezone', `must be an IANA time zone name, got "${timezone}"`);
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

const DAY_MS = 86_400_000;

/** Calendar arithmetic on YYYY-MM-DD: Date.parse reads a bare date as UTC midnight, so no zone can shift it. */
export const addDays = (date: string, days: number): string => new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);

export function dayCount({ firstDay, lastDay }: DayRange): number {
  return (Date.parse(lastDay) - Date.parse(firstDay)) / DAY_MS + 1;
}

/** Whether `instant` is `date`'s midnight on the zone's wall clock: one offset lookup. */
const isMidnightOf = (instant: number, date: string, zone: string) => instant + offsetMinutes(zone, instant) * 60_000 === Date.parse(date);

/**
 * When a local day begins: the first instant its wall clock reads midnight, or where a DST change
 * skips midnight, the end of the gap. Each luxon step in a zone costs several Intl lookups, so
 * midnight is found from the offsets in force a day before, on and a day after the date (where a
 * clock is set back at or after midnight, it reads midnight twice; the first one starts the day),
 * and luxon only moves across a gap.
 */
export function dayStart(date: string, zone: string): Date {
  const wall = Date.parse(date);
  const midnights = [wall - DAY_MS, wall, wall + DAY_MS]
    .map((instant) => wall - offsetMinutes(zone, instant) * 60_000)
    .filter((instant) => isMidnightOf(instant, date, zone));
  return new Date(midnights.length > 0 ? Math.min(...midnights) : DateTime.fromISO(date, { zone }).startOf('day').toMillis());
}

/**
 * The start of every day of the range and the end of its last day (dayCount + 1 instants). A day
 * after a midnight usually starts 24 hours later, which one offset lookup confirms.
 */
export function dayStarts(range: DayRange): Date[] {
  const starts = [dayStart(range.firstDay, range.zone)];
  for (let i = 1, date = range.firstDay; i <= dayCount(range); i += 1) {
    date = addDays(date, 1);
    const guess = starts[i - 1]!.getTime() + DAY_MS;
    starts.push(isMidnightOf(guess, date, range.zone) ? new Date(guess) : dayStart(date, range.zone));
  }
  return starts;
}

/** The instants a day range covers: the start of its first day to the start of the day after its last. */
export function dayRangeWindow({ firstDay, lastDay, zone }: DayRange): Window {
  return { from: dayStart(firstDay, zone), to: dayStart(addDays(lastDay, 1), zone) };
}

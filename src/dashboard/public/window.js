// The report window the pickers describe, as the variables of the dashboard's subscription.

const { DateTime } = globalThis.luxon;

/** The gateway's default zone, and the one of the demo data. */
export const DEFAULT_ZONE = 'Asia/Ho_Chi_Minh';

/** Every IANA zone the browser knows, UTC and the browser's own included. */
export function zoneNames() {
  const names = new Set(Intl.supportedValuesOf('timeZone'));
  names.add('UTC');
  names.add(DEFAULT_ZONE);
  names.add(Intl.DateTimeFormat().resolvedOptions().timeZone);
  return [...names].sort();
}

/** The local day of an instant in `zone`, e.g. 2026-06-01. */
export const localDay = (iso, zone) => DateTime.fromISO(iso, { zone }).toISODate();

/**
 * The dates are local days of `zone`, both included, as in the trend report. An empty one means
 * the day of the campaign's first call (from) or latest call (to), given its `span` of calls, so a
 * whole-campaign view shows its data and not months of empty days; without calls, the gateway's
 * defaults (the campaign's start, now). The other reports take the instants those days begin and
 * end in the zone.
 */
export function windowVariables({ zone, from, to, granularity, metric, span }) {
  const startOf = (day) => DateTime.fromISO(day, { zone });
  const fromDay = from || (span ? localDay(span.firstCallAt, zone) : null);
  const toDay = to || (span ? localDay(span.lastCallAt, zone) : null);
  return {
    zone,
    granularity,
    metric,
    fromDay,
    toDay,
    from: fromDay ? startOf(fromDay).toISO() : null,
    to: toDay ? startOf(toDay).plus({ days: 1 }).toISO() : null,
  };
}

/** A local time of day in the zone, e.g. 14:03:07, for "updated at". */
export const clockTime = (iso, zone) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm:ss');

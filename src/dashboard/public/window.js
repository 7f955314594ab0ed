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

/**
 * The dates are local days of `zone`, both included, as in the trend report; an empty one means
 * the campaign's start (from) or now (to), the gateway's defaults. The other reports take the
 * instants those days begin and end in the zone.
 */
export function windowVariables({ zone, from, to, granularity, metric }) {
  const startOf = (day) => DateTime.fromISO(day, { zone });
  return {
    zone,
    granularity,
    metric,
    fromDay: from || null,
    toDay: to || null,
    from: from ? startOf(from).toISO() : null,
    to: to ? startOf(to).plus({ days: 1 }).toISO() : null,
  };
}

/** A local time of day in the zone, e.g. 14:03:07, for "updated at". */
export const clockTime = (iso, zone) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm:ss');

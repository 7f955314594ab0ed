import { builder } from './builder.js';

export const instantWindowArgs = builder.args((t) => ({
  from: t.field({
    type: 'DateTime',
    description: "Start of the window (included), compared with each call's start time. Default: the campaign's start.",
  }),
  to: t.field({ type: 'DateTime', description: 'End of the window (excluded). Default: now.' }),
}));

export const timezoneArgs = builder.args((t) => ({
  timezone: t.field({
    type: 'TimeZone',
    description: 'IANA time zone of local days and hours, and of from/to given without an offset. Default: Asia/Ho_Chi_Minh.',
  }),
}));

import type { buildTrend } from '../reports/trend.js';
import { builder } from './builder.js';
import { timezoneArgs } from './report-args.js';

const TrendGranularity = builder.enumType('TrendGranularity', {
  description: 'The size of a trend bucket.',
  values: {
    QUARTER_HOUR: { value: 'quarter_hour', description: 'One bucket per local quarter hour, labelled 2026-06-28T09:15:00+07:00 (at most 7 days).' },
    HOUR: { value: 'hour', description: 'One bucket per local hour, labelled 2026-06-28T09:00:00+07:00 (at most 31 days).' },
    DAY: { value: 'day', description: 'One bucket per local calendar day, labelled 2026-06-28 (at most 3 years).' },
    WEEK: { value: 'week', description: 'One bucket per ISO week (Monday to Sunday), labelled by its Monday, 2026-06-29; the first and last hold only the days of the range.' },
    MONTH: { value: 'month', description: 'One bucket per calendar month, labelled 2026-06; the first and last hold only the days of the range.' },
  } as const,
});

const TrendBucket = builder.objectRef<ReturnType<typeof buildTrend>[number]>('TrendBucket').implement({
  description: 'The calls that started in one bucket of a trend.',
  fields: (t) => ({
    bucket: t.exposeString('bucket', {
      description: 'The quarter hour or hour with its offset (2026-06-28T09:15:00+07:00), the day (2026-06-28), the week\'s Monday (2026-06-29) or the month (2026-06).',
    }),
    start: t.expose('start', { type: 'DateTime', description: 'The first instant the bucket covers (clipped to the range for a week or month).' }),
    end: t.expose('end', { type: 'DateTime', description: 'The instant after the last one it covers: a New York fall-back day runs 25 hours.' }),
    dialed: t.exposeInt('dialed', { description: 'Attempts started in the bucket.' }),
    answered: t.exposeInt('answered', { description: 'Of those, answered.' }),
    answerRatePct: t.expose('answerRatePct', { type: 'Percentage', nullable: true, description: 'answered ÷ dialed; null for an empty bucket.' }),
    avgDurationSec: t.exposeInt('avgDurationSec', { nullable: true, description: 'Mean talk seconds of the answered attempts, rounded half up.' }),
    transferCount: t.exposeInt('transferCount', { description: 'Successful transfers to an agent queue.' }),
  }),
});

builder.prismaObjectFields('Campaign', (t) => ({
  trend: t.field({
    type: [TrendBucket],
    description: 'Calls per local quarter hour, hour, day, ISO week or month, every bucket of the range in order, empty ones included.',
    args: {
      from: t.arg({ type: 'Date', description: 'First day (included). Default: the day the campaign started.' }),
      to: t.arg({ type: 'Date', description: 'Last day (included: 2026-06-30 covers that whole day). Default: today.' }),
      granularity: t.arg({ type: TrendGranularity, defaultValue: 'day', required: true, description: 'The size of the buckets.' }),
      ...timezoneArgs,
    },
    resolve: (campaign, args, context) => context.reports.trend(campaign, args),
  }),
}));

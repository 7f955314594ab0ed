import type { buildTrend } from '../reports/trend.js';
import { builder } from './builder.js';
import { timezoneArgs } from './report-args.js';

const TrendGranularity = builder.enumType('TrendGranularity', {
  description: 'The size of a trend bucket.',
  values: {
    DAY: { value: 'day', description: 'One bucket per local calendar day, labelled 2026-06-28.' },
    HOUR: { value: 'hour', description: 'One bucket per local hour, labelled 2026-06-28T09:00:00+07:00 (at most 31 days).' },
  } as const,
});

const TrendBucket = builder.objectRef<ReturnType<typeof buildTrend>[number]>('TrendBucket').implement({
  description: 'The calls that started in one day or hour.',
  fields: (t) => ({
    bucket: t.exposeString('bucket', { description: 'The day (2026-06-28) or the hour with its offset (2026-06-28T09:00:00+07:00).' }),
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
    description: 'Calls per local day or hour, every bucket of the window in order, empty ones included.',
    args: {
      from: t.arg({ type: 'Date', description: 'First day (included). Default: the day the campaign started.' }),
      to: t.arg({ type: 'Date', description: 'Last day (included: 2026-06-30 covers that whole day). Default: today.' }),
      granularity: t.arg({ type: TrendGranularity, defaultValue: 'day', required: true, description: 'DAY or HOUR buckets.' }),
      ...timezoneArgs,
    },
    resolve: (campaign, args, context) => context.reports.trend(campaign, args),
  }),
}));

import type { buildHeatmap } from '../reports/heatmap.js';
import { builder } from './builder.js';
import { instantWindowArgs, timezoneArgs } from './report-args.js';

const HeatmapMetric = builder.enumType('HeatmapMetric', {
  description: 'Which number a heatmap cell\'s value carries.',
  values: {
    DIALED: { value: 'dialed', description: 'Attempts started in the cell.' },
    ANSWERED: { value: 'answered', description: 'Answered attempts.' },
    ANSWER_RATE_PCT: { value: 'answer_rate_pct', description: 'answered ÷ dialed as a number such as 65.38.' },
  } as const,
});

const HeatmapCell = builder.objectRef<ReturnType<typeof buildHeatmap>[number]>('HeatmapCell').implement({
  description: 'The calls that started in one local hour of one weekday.',
  fields: (t) => ({
    dayOfWeek: t.exposeInt('dayOfWeek', { description: '0 = Sunday, 1 = Monday, … 6 = Saturday.' }),
    hour: t.exposeInt('hour', { description: 'Local hour, 0-23.' }),
    dialed: t.exposeInt('dialed', { description: 'Attempts started in this hour of this weekday.' }),
    answered: t.exposeInt('answered', { description: 'Of those, answered.' }),
    answerRatePct: t.expose('answerRatePct', { type: 'Percentage', nullable: true, description: 'answered ÷ dialed; null for an empty cell.' }),
    value: t.exposeFloat('value', { nullable: true, description: 'The chosen metric as a number, for colour scales; null where the rate is.' }),
  }),
});

builder.prismaObjectFields('Campaign', (t) => ({
  heatmap: t.field({
    type: [HeatmapCell],
    description: 'Exactly 168 cells: weekday (Sunday first) × local hour, in that order, empty cells included.',
    args: {
      metric: t.arg({ type: HeatmapMetric, defaultValue: 'dialed', required: true, description: 'The number each cell\'s value carries.' }),
      ...instantWindowArgs,
      ...timezoneArgs,
    },
    resolve: (campaign, args, context) => context.reports.heatmap(campaign, args),
  }),
}));

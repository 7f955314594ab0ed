import type { Campaign } from '../db/generated/prisma/client.js';
import { apiError, badUserInput } from '../errors.js';
import { builder } from './builder.js';
import { parseCampaignId } from './ids.js';
import { instantWindowArgs } from './report-args.js';

export const MAX_COMPARED_CAMPAIGNS = 100;

const ComparisonMetric = builder.enumType('ComparisonMetric', {
  description: 'The number campaigns are compared by.',
  values: {
    ANSWER_RATE_PCT: { value: 'answer_rate_pct', description: 'answered ÷ dialed.' },
    AVG_DURATION_SEC: { value: 'avg_duration_sec', description: 'Mean talk seconds of answered attempts, with two decimals.' },
    TRANSFER_RATE_PCT: { value: 'transfer_rate_pct', description: 'Successful transfers ÷ answered.' },
  } as const,
});

const CampaignMetricValue = builder.objectRef<{ campaignId: number; campaignName: string; metricValue: string | null }>('CampaignMetricValue').implement({
  description: 'One campaign\'s value of the compared metric.',
  fields: (t) => ({
    campaignId: t.exposeID('campaignId', { description: 'The campaign id, e.g. "5".' }),
    campaignName: t.exposeString('campaignName', { description: 'The campaign\'s name.' }),
    metricValue: t.exposeString('metricValue', { nullable: true, description: 'The metric with two decimals, e.g. "62.30"; null when undefined (nothing dialed or answered).' }),
  }),
});

builder.queryFields((t) => ({
  campaignComparison: t.field({
    type: [CampaignMetricValue],
    description: 'One metric for several campaigns side by side, best first (nulls last, then by id).',
    args: {
      campaignIds: t.arg.idList({ required: true, description: `The campaigns to compare, at most ${MAX_COMPARED_CAMPAIGNS}.` }),
      metric: t.arg({ type: ComparisonMetric, defaultValue: 'answer_rate_pct', required: true, description: 'What to compare.' }),
      ...instantWindowArgs,
    },
    resolve: async (_root, args, context) => {
      const ids = [...new Set(args.campaignIds.map((id) => parseCampaignId(id, 'campaignIds')))];
      if (ids.length === 0) throw badUserInput('campaignIds', 'must name at least one campaign');
      if (ids.length > MAX_COMPARED_CAMPAIGNS) {
        throw badUserInput('campaignIds', `may name at most ${MAX_COMPARED_CAMPAIGNS} campaigns, got ${ids.length}`);
      }
      const campaigns = (await context.loaders.campaign.loadMany(ids)).filter(
        (campaign): campaign is Campaign => campaign !== null && !(campaign instanceof Error),
      );
      const missing = ids.filter((id) => !campaigns.some((campaign) => campaign.id === id));
      if (missing.length > 0) {
        throw apiError('NOT_FOUND', `Campaign ${missing.map((id) => `"${id}"`).join(', ')} not found`, {
          argumentName: 'campaignIds',
          campaignIds: missing.map(String),
        });
      }
      return context.reports.comparison(campaigns, args.metric, args);
    },
  }),
}));

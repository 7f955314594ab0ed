import type { Kpis } from '../reports/kpis.js';
import { builder } from './builder.js';
import { instantWindowArgs, timezoneArgs } from './report-args.js';

export const DtmfCount = builder.objectRef<{ key: string; count: number }>('DtmfCount').implement({
  description: 'Answered calls by the key the callee pressed.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The key ("0"-"9", "*", "#"), or "no_input" when none was pressed.' }),
    count: t.exposeInt('count', { description: 'Answered calls with this key.' }),
  }),
});

const CampaignKpis = builder.objectRef<Kpis>('CampaignKpis').implement({
  description: 'Headline numbers of a campaign over a window of call start times.',
  fields: (t) => ({
    totalLeads: t.exposeInt('totalLeads', { description: 'Leads of the campaign imported before the window\'s end.' }),
    dialed: t.exposeInt('dialed', { description: 'Call attempts in the window (a lead may have several).' }),
    answered: t.exposeInt('answered', { description: 'Attempts with result answered.' }),
    noAnswer: t.exposeInt('noAnswer', { description: 'Attempts with result no_answer.' }),
    busy: t.exposeInt('busy', { description: 'Attempts with result busy.' }),
    failed: t.exposeInt('failed', { description: 'Attempts with result failed.' }),
    abandoned: t.exposeInt('abandoned', { description: 'Attempts with result abandoned. The five results sum to dialed.' }),
    answerRatePct: t.expose('answerRatePct', { type: 'Percentage', nullable: true, description: 'answered ÷ dialed; null when nothing was dialed.' }),
    avgCallDurationSec: t.exposeInt('avgCallDurationSec', { nullable: true, description: 'Mean talk seconds (billsec) of answered attempts, rounded half up; null when none.' }),
    totalTalkTimeSec: t.exposeInt('totalTalkTimeSec', { description: 'Sum of the talk seconds of answered attempts.' }),
    dtmfDistribution: t.expose('dtmfDistribution', { type: [DtmfCount], description: 'Answered attempts by key pressed, plus no_input; sums to answered. Count descending, then key.' }),
    transferToQueueCount: t.exposeInt('transferToQueueCount', { description: 'Successful transfers to an agent queue.' }),
    transferSuccessRatePct: t.expose('transferSuccessRatePct', { type: 'Percentage', nullable: true, description: 'Successful ÷ attempted transfers; null when none was attempted.' }),
    computedAt: t.expose('computedAt', { type: 'DateTime', description: 'When these numbers were computed.' }),
  }),
});

builder.prismaObjectFields('Campaign', (t) => ({
  kpis: t.field({
    type: CampaignKpis,
    description: 'Headline numbers over [from, to) of call start times.',
    args: { ...instantWindowArgs, ...timezoneArgs },
    resolve: (campaign, args, context) => context.reports.kpis(campaign, args),
  }),
}));

import type { KpiParts } from '../data/report-service.js';
import type { TalkTimePercentiles as Percentiles } from '../reports/percentiles.js';
import type { CallKpis } from '../reports/kpis.js';
import { builder } from './builder.js';
import { instantWindowArgs, timezoneArgs } from './report-args.js';

export const DtmfCount = builder.objectRef<{ key: string; count: number }>('DtmfCount').implement({
  description: 'Answered calls by the key the callee pressed.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The key ("0"-"9", "*", "#"), or "no_input" when none was pressed.' }),
    count: t.exposeInt('count', { description: 'Answered calls with this key.' }),
  }),
});

const TalkTimePercentiles = builder.objectRef<Percentiles>('TalkTimePercentiles').implement({
  description:
    'Talk seconds (billsec) of the answered attempts of the window, nearest rank: each is the smallest value with at least that share of them at or below it, as PostgreSQL\'s percentile_disc. Null when nothing was answered.',
  fields: (t) => ({
    p50: t.exposeInt('p50', { nullable: true, description: 'The median: at least half of the answered attempts talked this long or less.' }),
    p90: t.exposeInt('p90', { nullable: true, description: 'At least 90 % talked this long or less.' }),
    p95: t.exposeInt('p95', { nullable: true, description: 'At least 95 % talked this long or less.' }),
    p99: t.exposeInt('p99', { nullable: true, description: 'At least 99 % talked this long or less.' }),
  }),
});

/** A field read from the window's attempts; every such field of one report shares one load. */
const fromCalls = <K extends keyof CallKpis>(field: K) => async (kpis: KpiParts) => (await kpis.calls())[field];

const CampaignKpis = builder.objectRef<KpiParts>('CampaignKpis');
CampaignKpis.implement({
  description: 'Headline numbers of a campaign over a window of call start times.',
  fields: (t) => ({
    totalLeads: t.int({ description: 'Leads of the campaign imported before the window\'s end.', resolve: (kpis) => kpis.totalLeads() }),
    dialed: t.int({ description: 'Call attempts in the window (a lead may have several).', resolve: fromCalls('dialed') }),
    answered: t.int({ description: 'Attempts with result answered.', resolve: fromCalls('answered') }),
    noAnswer: t.int({ description: 'Attempts with result no_answer.', resolve: fromCalls('noAnswer') }),
    busy: t.int({ description: 'Attempts with result busy.', resolve: fromCalls('busy') }),
    failed: t.int({ description: 'Attempts with result failed.', resolve: fromCalls('failed') }),
    abandoned: t.int({ description: 'Attempts with result abandoned. The five results sum to dialed.', resolve: fromCalls('abandoned') }),
    answerRatePct: t.field({ type: 'Percentage', nullable: true, description: 'answered ÷ dialed; null when nothing was dialed.', resolve: fromCalls('answerRatePct') }),
    avgCallDurationSec: t.int({ nullable: true, description: 'Mean talk seconds (billsec) of answered attempts, rounded half up; null when none.', resolve: fromCalls('avgCallDurationSec') }),
    totalTalkTimeSec: t.int({ description: 'Sum of the talk seconds of answered attempts.', resolve: fromCalls('totalTalkTimeSec') }),
    dtmfDistribution: t.field({ type: [DtmfCount], description: 'Answered attempts by key pressed, plus no_input; sums to answered. Count descending, then key.', resolve: (kpis) => kpis.dtmfDistribution() }),
    transferToQueueCount: t.int({ description: 'Successful transfers to an agent queue.', resolve: fromCalls('transferToQueueCount') }),
    transferSuccessRatePct: t.field({ type: 'Percentage', nullable: true, description: 'Successful ÷ attempted transfers; null when none was attempted.', resolve: fromCalls('transferSuccessRatePct') }),
    talkTimePercentiles: t.field({ type: TalkTimePercentiles, description: 'Percentiles of the talk seconds of the answered attempts.', resolve: (kpis) => kpis.talkTimePercentiles() }),
    previousPeriod: t.field({
      type: CampaignKpis,
      nullable: true,
      description: 'The same numbers over the window of equal length just before, [from − (to − from), from), for "compared with the previous period". Null on that inner report: one level deep.',
      resolve: (kpis) => kpis.previousPeriod,
    }),
    computedAt: t.expose('computedAt', { type: 'DateTime', description: 'When these numbers were computed.' }),
  }),
});

builder.prismaObjectFields('Campaign', (t) => ({
  kpis: t.field({
    type: CampaignKpis,
    description: 'Headline numbers over [from, to) of call start times.',
    args: { ...instantWindowArgs, ...timezoneArgs },
    resolve: (campaign, args, context) => context.reports.kpiParts(campaign, args),
  }),
}));

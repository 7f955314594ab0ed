import { z } from 'zod';
import {
  campaignPath,
  count,
  dayRange,
  instant,
  instantWindow,
  lowerCaseEnum,
  percentage,
  restInstant,
  seconds,
  timezone,
} from './parameters.js';
import { defineRoute, type Route } from './route.js';

const CAMPAIGN_REPORTS = '/api/autocall/campaigns/{id}/reports';

const upper = (value: string | undefined) => value?.toUpperCase();

/** The variables of a campaign report: the path's id and the query string's parameters, which the operation names alike. */
const campaignVariables = ({ path, query }: { path: { id: string }; query: Record<string, string | undefined> }) => ({
  id: path.id,
  ...query,
});

/** The report under `campaign`, or null when the campaign is not the caller's. */
const reportOf = <T>(field: string) => (data: { campaign: Record<string, T> | null }) => (data.campaign ? data.campaign[field]! : null);

const kpisData = z.object({
  total_leads: count.meta({ description: "Leads of the campaign imported before the window's end." }),
  dialed: count.meta({ description: 'Call attempts in the window (a lead may have several).' }),
  answered: count,
  no_answer: count,
  busy: count,
  failed: count,
  abandoned: count,
  answer_rate_pct: percentage.nullable().meta({ description: 'answered ÷ dialed × 100; null when nothing was dialed.' }),
  avg_call_duration_sec: seconds.nullable().meta({ description: 'Mean billsec of the answered calls, rounded half up.' }),
  total_talk_time_sec: seconds,
  dtmf_distribution: z.record(z.string(), count).meta({
    description: 'Answered calls by the key pressed (digit → count), plus no_input; sums to answered.',
    example: { '1': 1840, '2': 950, '0': 215, no_input: 115 },
  }),
  transfer_to_queue_count: count.meta({ description: 'Successful transfers to an agent queue.' }),
  transfer_success_rate_pct: percentage.nullable().meta({ description: 'Successful ÷ attempted transfers; null when none was attempted.' }),
  computed_at: instant,
});

export const kpisRoute = defineRoute({
  operationId: 'getKpis',
  method: 'GET',
  path: `${CAMPAIGN_REPORTS}/kpis`,
  summary: 'KPIs tổng quan: headline numbers',
  description: 'Headline numbers of the calls that started in [from, to).',
  graphqlField: 'Campaign.kpis',
  params: { path: campaignPath, query: z.object({ ...instantWindow, timezone: timezone.optional() }) },
  status: 200,
  data: kpisData,
  document: /* GraphQL */ `
    query RestKpis($id: ID!, $from: DateTime, $to: DateTime, $timezone: TimeZone) {
      campaign(id: $id) {
        id
        kpis(from: $from, to: $to, timezone: $timezone) {
          total_leads: totalLeads
          dialed
          answered
          no_answer: noAnswer
          busy
          failed
          abandoned
          answer_rate_pct: answerRatePct
          avg_call_duration_sec: avgCallDurationSec
          total_talk_time_sec: totalTalkTimeSec
          dtmf_distribution: dtmfDistribution { key count }
          transfer_to_queue_count: transferToQueueCount
          transfer_success_rate_pct: transferSuccessRatePct
          computed_at: computedAt
        }
      }
    }`,
  variables: campaignVariables,
  answer: (data) => {
    const kpis = reportOf<any>('kpis')(data);
    if (!kpis) return null;
    const distribution = kpis.dtmf_distribution as { key: string; count: number }[];
    return {
      ...kpis,
      dtmf_distribution: Object.fromEntries(distribution.map(({ key, count }) => [key, count])),
      computed_at: restInstant(kpis.computed_at),
    };
  },
  volatile: ['computed_at'],
});

const trendBucket = z.object({
  bucket: z.string().meta({ description: 'The day (2026-06-28), the hour with its offset (2026-06-28T09:00:00+07:00), the week\'s Monday or the month (2026-06).' }),
  dialed: count,
  answered: count,
  answer_rate_pct: percentage.nullable(),
  avg_duration_sec: seconds.nullable(),
  transfer_count: count.meta({ description: 'Successful transfers to an agent queue.' }),
});

export const trendRoute = defineRoute({
  operationId: 'getTrend',
  method: 'GET',
  path: `${CAMPAIGN_REPORTS}/trend`,
  summary: 'Xu hướng theo ngày: the trend',
  description: 'One bucket per local day (or quarter hour, hour, ISO week, month) of the range, empty buckets included, in order.',
  graphqlField: 'Campaign.trend',
  params: {
    path: campaignPath,
    query: z.object({
      ...dayRange,
      granularity: lowerCaseEnum(['day', 'hour', 'quarter_hour', 'week', 'month'], 'The size of a bucket. Default: day.').optional(),
      timezone: timezone.optional(),
    }),
  },
  status: 200,
  data: z.array(trendBucket),
  document: /* GraphQL */ `
    query RestTrend($id: ID!, $from: Date, $to: Date, $granularity: TrendGranularity! = DAY, $timezone: TimeZone) {
      campaign(id: $id) {
        id
        trend(from: $from, to: $to, granularity: $granularity, timezone: $timezone) {
          bucket
          dialed
          answered
          answer_rate_pct: answerRatePct
          avg_duration_sec: avgDurationSec
          transfer_count: transferCount
        }
      }
    }`,
  variables: (input) => ({ ...campaignVariables(input), granularity: upper(input.query.granularity) }),
  answer: reportOf('trend'),
});

export const comparisonRoute = defineRoute({
  operationId: 'getComparison',
  method: 'GET',
  path: '/api/autocall/campaigns/comparison',
  summary: 'So sánh nhiều campaign: campaigns side by side',
  description: 'One metric of several campaigns, best first (nulls last, then by id).',
  graphqlField: 'Query.campaignComparison',
  params: {
    path: z.object({}),
    query: z.object({
      campaign_ids: z
        .string({ error: 'is required: campaign ids separated by commas, e.g. 5,8,12' })
        .meta({ description: 'Campaign ids separated by commas (at most 100).', example: '5,8,12' }),
      metric: lowerCaseEnum(['answer_rate_pct', 'avg_duration_sec', 'transfer_rate_pct'], 'What to compare. Default: answer_rate_pct.').optional(),
      ...instantWindow,
    }),
  },
  status: 200,
  data: z.array(
    z.object({
      campaign_id: z.number().int().meta({ example: 5 }),
      campaign_name: z.string().meta({ example: 'Renewal Q3' }),
      metric_value: z.string().nullable().meta({ description: 'The metric with two decimals; null when undefined (nothing dialed or answered).', example: '62.30' }),
    }),
  ),
  document: /* GraphQL */ `
    query RestComparison($campaignIds: [ID!]!, $metric: ComparisonMetric! = ANSWER_RATE_PCT, $from: DateTime, $to: DateTime) {
      campaignComparison(campaignIds: $campaignIds, metric: $metric, from: $from, to: $to) {
        campaign_id: campaignId
        campaign_name: campaignName
        metric_value: metricValue
      }
    }`,
  variables: ({ query }) => ({
    campaignIds: query.campaign_ids.split(',').map((id) => id.trim()),
    metric: upper(query.metric),
    from: query.from,
    to: query.to,
  }),
  answer: (data: { campaignComparison: { campaign_id: string; campaign_name: string; metric_value: string | null }[] }) =>
    data.campaignComparison.map((row) => ({ ...row, campaign_id: Number(row.campaign_id) })),
});

export const hangupRoute = defineRoute({
  operationId: 'getHangup',
  method: 'GET',
  path: `${CAMPAIGN_REPORTS}/hangup`,
  summary: 'Phân tích lý do cúp: hangup causes',
  description: 'The calls of [from, to) by hangup cause; the shares sum to exactly 100.00.',
  graphqlField: 'Campaign.hangup',
  params: { path: campaignPath, query: z.object(instantWindow) },
  status: 200,
  data: z.object({
    total_calls: count,
    by_hangup_cause: z.array(z.object({ hangup_cause: z.string().meta({ example: 'NORMAL_CLEARING' }), count, pct: percentage })),
  }),
  document: /* GraphQL */ `
    query RestHangup($id: ID!, $from: DateTime, $to: DateTime) {
      campaign(id: $id) {
        id
        hangup(from: $from, to: $to) {
          total_calls: totalCalls
          by_hangup_cause: byHangupCause { hangup_cause: hangupCause count pct }
        }
      }
    }`,
  variables: campaignVariables,
  answer: reportOf('hangup'),
});

export const heatmapRoute = defineRoute({
  operationId: 'getHeatmap',
  method: 'GET',
  path: `${CAMPAIGN_REPORTS}/heatmap`,
  summary: 'Heatmap giờ × thứ: weekday × hour',
  description: 'Exactly 168 cells, day_of_week 0 = Sunday … 6 = Saturday × local hour 0-23, in that order, empty cells included.',
  graphqlField: 'Campaign.heatmap',
  params: {
    path: campaignPath,
    query: z.object({
      metric: lowerCaseEnum(['dialed', 'answered', 'answer_rate_pct'], "The number each cell's value carries. Default: dialed.").optional(),
      ...instantWindow,
      timezone: timezone.optional(),
    }),
  },
  status: 200,
  data: z
    .array(
      z.object({
        day_of_week: z.number().int().min(0).max(6).meta({ description: '0 = Sunday, 1 = Monday, … 6 = Saturday.' }),
        hour: z.number().int().min(0).max(23),
        dialed: count,
        answered: count,
        answer_rate_pct: percentage.nullable(),
        value: z.number().nullable().meta({ description: 'The chosen metric as a number, for colour scales (65.38 for a rate); null where the rate is.' }),
      }),
    )
    .length(168),
  document: /* GraphQL */ `
    query RestHeatmap($id: ID!, $metric: HeatmapMetric! = DIALED, $from: DateTime, $to: DateTime, $timezone: TimeZone) {
      campaign(id: $id) {
        id
        heatmap(metric: $metric, from: $from, to: $to, timezone: $timezone) {
          day_of_week: dayOfWeek
          hour
          dialed
          answered
          answer_rate_pct: answerRatePct
          value
        }
      }
    }`,
  variables: (input) => ({ ...campaignVariables(input), metric: upper(input.query.metric) }),
  answer: reportOf('heatmap'),
});

export const dtmfRoute = defineRoute({
  operationId: 'getDtmf',
  method: 'GET',
  path: `${CAMPAIGN_REPORTS}/dtmf`,
  summary: 'Phân tích DTMF chi tiết: keys pressed',
  description: "The keys pressed and IVR paths taken by the answered calls of [from, to); labels come from the script's dtmf_actions.",
  graphqlField: 'Campaign.dtmf',
  params: { path: campaignPath, query: z.object(instantWindow) },
  status: 200,
  data: z.object({
    total_answered: count,
    with_dtmf_input: count,
    no_input: count,
    no_input_rate_pct: percentage.nullable(),
    by_digit: z.array(z.object({ digit: z.string().meta({ example: '1' }), count, pct: percentage, label: z.string().nullable().meta({ example: 'Đồng ý chuyển agent' }) })),
    by_script_path: z.array(z.object({ path: z.string().meta({ example: 'intro → press_1 → queue_sales' }), count })),
  }),
  document: /* GraphQL */ `
    query RestDtmf($id: ID!, $from: DateTime, $to: DateTime) {
      campaign(id: $id) {
        id
        dtmf(from: $from, to: $to) {
          total_answered: totalAnswered
          with_dtmf_input: withDtmfInput
          no_input: noInput
          no_input_rate_pct: noInputRatePct
          by_digit: byDigit { digit count pct label }
          by_script_path: byScriptPath { path count }
        }
      }
    }`,
  variables: campaignVariables,
  answer: reportOf('dtmf'),
});

export const funnelRoute = defineRoute({
  operationId: 'getFunnel',
  method: 'GET',
  path: `${CAMPAIGN_REPORTS}/funnel`,
  summary: 'Funnel chuyển đổi: the conversion funnel',
  description: 'Six stages over distinct leads, each a subset of the one before; drop_rate_pct is the share of the previous stage lost.',
  graphqlField: 'Campaign.funnel',
  params: { path: campaignPath, query: z.object(instantWindow) },
  status: 200,
  data: z.array(
    z.object({
      stage: z.enum(['Imported lead', 'Dialed', 'Answered', 'Pressed valid DTMF', 'Transferred to agent', 'Agent disposed']),
      count,
      drop_rate_pct: percentage.nullable(),
    }),
  ),
  document: /* GraphQL */ `
    query RestFunnel($id: ID!, $from: DateTime, $to: DateTime) {
      campaign(id: $id) {
        id
        funnel(from: $from, to: $to) { stage count drop_rate_pct: dropRatePct }
      }
    }`,
  variables: campaignVariables,
  answer: reportOf('funnel'),
});

export const REPORT_ROUTES: Route[] = [kpisRoute, trendRoute, comparisonRoute, hangupRoute, heatmapRoute, dtmfRoute, funnelRoute];

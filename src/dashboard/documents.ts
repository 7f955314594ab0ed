import { documentHash } from '../documents/document-ids.js';

const DashboardCampaigns = /* GraphQL */ `
  query DashboardCampaigns {
    campaigns(first: 100) { edges { node { id name firstCallAt lastCallAt } } }
  }
`;

const DashboardComparison = /* GraphQL */ `
  query DashboardComparison($ids: [ID!]!, $from: DateTime, $to: DateTime, $metric: ComparisonMetric!) {
    campaignComparison(campaignIds: $ids, from: $from, to: $to, metric: $metric) { campaignId campaignName metricValue }
  }
`;

// The gateway computes each distinct (selection, variables) once per change, however many
// dashboards watch it, and pushes at most once a second.
const Dashboard = /* GraphQL */ `
  subscription Dashboard(
    $id: ID!, $zone: TimeZone, $from: DateTime, $to: DateTime, $fromDay: Date, $toDay: Date,
    $granularity: TrendGranularity!, $metric: HeatmapMetric!
  ) {
    campaignUpdated(id: $id) {
      id
      name
      startedAt
      firstCallAt
      lastCallAt
      dataUpdatedAt
      kpis(from: $from, to: $to, timezone: $zone) {
        dialed answered answerRatePct avgCallDurationSec totalTalkTimeSec transferToQueueCount
        transferSuccessRatePct totalLeads noAnswer busy failed abandoned
        talkTimePercentiles { p50 p90 }
        previousPeriod { dialed answered answerRatePct }
      }
      trend(from: $fromDay, to: $toDay, granularity: $granularity, timezone: $zone) { bucket dialed answered answerRatePct }
      heatmap(from: $from, to: $to, timezone: $zone, metric: $metric) { dayOfWeek hour dialed answered answerRatePct value }
      funnel(from: $from, to: $to) { stage count dropRatePct }
      hangup(from: $from, to: $to) { totalCalls byHangupCause { hangupCause count pct } }
      dtmf(from: $from, to: $to) {
        totalAnswered withDtmfInput noInput noInputRatePct
        byDigit { digit label count pct }
        byScriptPath { path count }
      }
    }
  }
`;

/** The dashboard's operations by name: trusted documents of the gateway's own. */
export const DASHBOARD_DOCUMENTS: Record<string, string> = { DashboardCampaigns, DashboardComparison, Dashboard };

/** /dashboard/documents.js: the page's module of their ids, so the page sends ids and never text. */
export const documentIdsModule = () =>
  Object.entries(DASHBOARD_DOCUMENTS)
    .map(([name, text]) => `export const ${name} = ${JSON.stringify(`sha256:${documentHash(text)}`)};\n`)
    .join('');

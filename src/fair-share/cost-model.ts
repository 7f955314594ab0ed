import type { DocumentNode, GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { CampaignWindow } from '../data/report-queries.js';

// What an operation costs, in points, as Shopify and GitHub charge: by the work it makes the
// database do, not by the request. The unit is one campaign window read by one report statement;
// a report that reads more per window costs more:
//   - every window a report statement reads: 1 point (kpis reads up to four: calls, leads, keys
//     pressed, talk seconds; dtmf two: keys and script paths);
//   - a trend: 1 more per 100 of its buckets (a QUARTER_HOUR week is 672 buckets: 7 more);
//   - a heatmap: 1 more per 31 days of its window (a year: 12 more);
//   - a funnel: 10 more, since its window's calls may be grouped by lead;
//   - 1 per 100 rows the statements return.
// The estimate up front takes each report's arguments at their largest (a missing `from` as a
// year, a trend's range at its granularity's limit, a page of campaigns as full) and counts rows
// only for trends and heatmaps; the actual cost counts the windows the loaders did read (a campaign
// that does not exist reads none, a window asked for twice is read once) and the rows they
// returned, so a small report's actual cost can exceed its estimate by its statements' row points.

/** A report statement's kind: the loader that sends it. */
export type StatementKind =
  | 'callTotals'
  | 'leadTotals'
  | 'dtmfCounts'
  | 'hangupCauseCounts'
  | 'scriptPathCounts'
  | 'dispositionCounts'
  | 'talkSecondCounts'
  | 'heatmapCounts'
  | 'funnelCounts'
  | 'trendCounts';

const DAY_MS = 86_400_000;
/** Extra points of a funnel window. */
const FUNNEL_POINTS = 10;
const BUCKETS_PER_POINT = 100;
const HEATMAP_DAYS_PER_POINT = 31;
const ROWS_PER_POINT = 100;
/** The days a window without a `from` is assumed to span, up front. */
const UNKNOWN_WINDOW_DAYS = 366;

/** What one window of a report statement costs, by the window the statement reads. */
export function windowCost(kind: StatementKind, window: Pick<CampaignWindow, 'from' | 'to' | 'steps'>): number {
  if (kind === 'trendCounts') return 1 + Math.ceil(Math.max(0, (window.steps?.length ?? 1) - 1) / BUCKETS_PER_POINT);
  if (kind === 'heatmapCounts') return 1 + Math.ceil((window.to.getTime() - window.from.getTime()) / DAY_MS / HEATMAP_DAYS_PER_POINT);
  if (kind === 'funnelCounts') return 1 + FUNNEL_POINTS;
  return 1;
}

/** What the rows a statement returned cost. */
export const rowsCost = (rows: number) => Math.ceil(rows / ROWS_PER_POINT);

/** Counts the work an operation's report statements do, in points. */
export class WorkMeter {
  #points = 0;

  /** One statement: the windows it read and the rows it returned. */
  statement(kind: StatementKind, windows: readonly Pick<CampaignWindow, 'from' | 'to' | 'steps'>[], rows: number) {
    for (const window of windows) this.#points += windowCost(kind, window);
    this.#points += rowsCost(rows);
  }

  get points() {
    return this.#points;
  }
}

type Args = Record<string, unknown>;

/** Days between a window's bounds as the arguments give them (Date, DateTime or local times); undefined when one is missing. */
function argumentDays(args: Args): number | undefined {
  const instant = (value: unknown) => {
    if (value instanceof Date) return value.getTime();
    const text = typeof value === 'string' ? value : (value as { text?: string } | null)?.text;
    return text === undefined ? undefined : Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.replace(/(T\d\d:\d\d(:\d\d(\.\d+)?)?)$/, '$1Z'));
  };
  const from = instant(args.from);
  if (from === undefined || Number.isNaN(from)) return undefined;
  const to = args.to == null ? Date.now() : instant(args.to);
  if (to === undefined || Number.isNaN(to)) return undefined;
  // A trend's `to` is a day included: a day more.
  return Math.max(0, (to - from) / DAY_MS + (typeof args.to === 'string' && args.to.length === 10 ? 1 : 0));
}

/** A trend's most buckets: its range (or its granularity's longest) in buckets of its size. */
function trendBuckets(args: Args): number {
  const granularity = String(args.granularity ?? 'day');
  const longest = { quarter_hour: 7, hour: 31 }[granularity] ?? 3 * 366;
  const days = Math.min(argumentDays(args) ?? longest, longest);
  const perDay = { quarter_hour: 96, hour: 24, day: 1, week: 1 / 7, month: 1 / 28 }[granularity] ?? 1;
  return Math.ceil(days * perDay);
}

const windowOfDays = (days: number) => ({ from: new Date(0), to: new Date(days * DAY_MS) });
const ONE_WINDOW = windowOfDays(0);

/** Up-front points of each report field of Campaign (per campaign), from its arguments. */
const REPORT_ESTIMATES: Record<string, (args: Args) => number> = {
  kpis: () => 4 * windowCost('callTotals', ONE_WINDOW),
  trend: (args) => {
    const buckets = trendBuckets(args);
    return windowCost('trendCounts', { ...ONE_WINDOW, steps: Array.from({ length: buckets + 1 }) }) + rowsCost(buckets);
  },
  heatmap: (args) => windowCost('heatmapCounts', windowOfDays(argumentDays(args) ?? UNKNOWN_WINDOW_DAYS)) + rowsCost(7 * 24),
  funnel: () => windowCost('funnelCounts', ONE_WINDOW),
  hangup: () => windowCost('hangupCauseCounts', ONE_WINDOW),
  dispositions: () => windowCost('dispositionCounts', ONE_WINDOW),
  dtmf: () => 2 * windowCost('dtmfCounts', ONE_WINDOW),
};

/**
 * graphql-query-complexity's estimator for this schema: report fields as above, a page of
 * campaigns as many times its node as the page can hold, a comparison one window per campaign, a
 * kpis' previous period as much again. Everything else is free.
 */
const reportEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const coordinate = `${type.name}.${field.name}`;
  if (type.name === 'Campaign' && REPORT_ESTIMATES[field.name]) return REPORT_ESTIMATES[field.name]!(args) + childComplexity;
  if (coordinate === 'CampaignKpis.previousPeriod') return 4 + childComplexity;
  if (coordinate === 'Query.campaigns') return Number(args.first ?? args.last ?? 20) * childComplexity;
  if (coordinate === 'Query.campaignComparison') return (Array.isArray(args.campaignIds) ? args.campaignIds.length : 1) + childComplexity;
  return undefined;
};

const ESTIMATORS = [reportEstimator, simpleEstimator({ defaultComplexity: 0 })];

/** The points an operation is estimated to cost before it runs. */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null): number {
  return Math.ceil(getComplexity({ schema, query: document, variables: variables ?? {}, operationName: operationName ?? undefined, estimators: ESTIMATORS }));
}

/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar day as YYYY-MM-DD, read in the report timezone, e.g. 2026-06-30. */
  Date: { input: string; output: string; }
  /** An instant as ISO 8601 with an offset, e.g. 2026-06-01T08:00:00+07:00 (answers always carry one). An argument may also be a local date-time or a date without offset (2026-06-01T08:00:00, 2026-06-01): it is read in the report's timezone, or in Asia/Ho_Chi_Minh where the field has no timezone argument. */
  DateTime: { input: string; output: string; }
  /** A percentage as a decimal string with exactly two decimals, rounded half up, e.g. "64.69". */
  Percentage: { input: string; output: string; }
  /** An IANA time zone name, e.g. Asia/Ho_Chi_Minh or America/New_York. */
  TimeZone: { input: string; output: string; }
};

/** An outbound dialing campaign of the caller's tenant. */
export type Campaign = {
  __typename?: 'Campaign';
  /** When data of this campaign (the campaign, its leads or calls) last changed; null before any. */
  dataUpdatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Attempts of the window by agent disposition. */
  dispositions: DispositionReport;
  /** Keys pressed and IVR paths taken by the answered attempts of the window. */
  dtmf: DtmfReport;
  /** The IVR script's keys and what each does. */
  dtmfActions: Array<DtmfAction>;
  /** When the campaign's first call started; null before any call. With lastCallAt, the span a whole-campaign view shows. */
  firstCallAt?: Maybe<Scalars['DateTime']['output']>;
  /** Six stages over distinct leads: each a subset of the one before, so counts never rise. */
  funnel: Array<FunnelStage>;
  /** Attempts of the window by hangup cause. */
  hangup: HangupReport;
  /** Exactly 168 cells: weekday (Sunday first) × local hour, in that order, empty cells included. */
  heatmap: Array<HeatmapCell>;
  /** The campaign's integer id as a string, e.g. "5" (the id the REST API uses). */
  id: Scalars['ID']['output'];
  /** Headline numbers over [from, to) of call start times. */
  kpis: CampaignKpis;
  /** When the campaign's latest call started; null before any call. */
  lastCallAt?: Maybe<Scalars['DateTime']['output']>;
  /** The campaign's name, e.g. "Renewal Q3". */
  name: Scalars['String']['output'];
  /** When dialing started; the default start of every report window. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Calls per local quarter hour, hour, day, ISO week or month, every bucket of the range in order, empty ones included. */
  trend: Array<TrendBucket>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignDispositionsArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignDtmfArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignFunnelArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignHangupArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignHeatmapArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  metric?: HeatmapMetric;
  timezone?: InputMaybe<Scalars['TimeZone']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignKpisArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  timezone?: InputMaybe<Scalars['TimeZone']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An outbound dialing campaign of the caller's tenant. */
export type CampaignTrendArgs = {
  from?: InputMaybe<Scalars['Date']['input']>;
  granularity?: TrendGranularity;
  timezone?: InputMaybe<Scalars['TimeZone']['input']>;
  to?: InputMaybe<Scalars['Date']['input']>;
};

/** A page of campaigns. */
export type CampaignConnection = {
  __typename?: 'CampaignConnection';
  /** The items of this page with their cursors. */
  edges: Array<CampaignEdge>;
  /** Paging information for this page. */
  pageInfo: PageInfo;
  /** How many campaigns the caller has in all. */
  totalCount: Scalars['Int']['output'];
};

/** A campaign and its cursor. */
export type CampaignEdge = {
  __typename?: 'CampaignEdge';
  /** An opaque cursor for this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Campaign;
};

/** Headline numbers of a campaign over a window of call start times. */
export type CampaignKpis = {
  __typename?: 'CampaignKpis';
  /** Attempts with result abandoned. The five results sum to dialed. */
  abandoned: Scalars['Int']['output'];
  /** answered ÷ dialed; null when nothing was dialed. */
  answerRatePct?: Maybe<Scalars['Percentage']['output']>;
  /** Attempts with result answered. */
  answered: Scalars['Int']['output'];
  /** Mean talk seconds (billsec) of answered attempts, rounded half up; null when none. */
  avgCallDurationSec?: Maybe<Scalars['Int']['output']>;
  /** Attempts with result busy. */
  busy: Scalars['Int']['output'];
  /** When these numbers were computed. */
  computedAt: Scalars['DateTime']['output'];
  /** Call attempts in the window (a lead may have several). */
  dialed: Scalars['Int']['output'];
  /** Answered attempts by key pressed, plus no_input; sums to answered. Count descending, then key. */
  dtmfDistribution: Array<DtmfCount>;
  /** Attempts with result failed. */
  failed: Scalars['Int']['output'];
  /** Attempts with result no_answer. */
  noAnswer: Scalars['Int']['output'];
  /** The same numbers over the window of equal length just before, [from − (to − from), from), for "compared with the previous period". Null on that inner report: one level deep. */
  previousPeriod?: Maybe<CampaignKpis>;
  /** Percentiles of the talk seconds of the answered attempts. */
  talkTimePercentiles: TalkTimePercentiles;
  /** Leads of the campaign imported before the window's end. */
  totalLeads: Scalars['Int']['output'];
  /** Sum of the talk seconds of answered attempts. */
  totalTalkTimeSec: Scalars['Int']['output'];
  /** Successful ÷ attempted transfers; null when none was attempted. */
  transferSuccessRatePct?: Maybe<Scalars['Percentage']['output']>;
  /** Successful transfers to an agent queue. */
  transferToQueueCount: Scalars['Int']['output'];
};

/** One campaign's value of the compared metric. */
export type CampaignMetricValue = {
  __typename?: 'CampaignMetricValue';
  /** The campaign id, e.g. "5". */
  campaignId: Scalars['ID']['output'];
  /** The campaign's name. */
  campaignName: Scalars['String']['output'];
  /** The metric with two decimals, e.g. "62.30"; null when undefined (nothing dialed or answered). */
  metricValue?: Maybe<Scalars['String']['output']>;
};

/** The number campaigns are compared by. */
export type ComparisonMetric =
  /** answered ÷ dialed. */
  | 'ANSWER_RATE_PCT'
  /** Mean talk seconds of answered attempts, with two decimals. */
  | 'AVG_DURATION_SEC'
  /** Successful transfers ÷ answered. */
  | 'TRANSFER_RATE_PCT';

/** Attempts an agent closed with one disposition. */
export type DispositionCount = {
  __typename?: 'DispositionCount';
  /** Attempts with it. */
  count: Scalars['Int']['output'];
  /** The disposition the agent chose, e.g. "interested" or "callback". */
  disposition: Scalars['String']['output'];
  /** Share of the disposed attempts; the shares sum to exactly 100.00. */
  pct: Scalars['Percentage']['output'];
};

/** How agents closed the calls transferred to them: the end of the funnel, broken down. */
export type DispositionReport = {
  __typename?: 'DispositionReport';
  /** Count descending, then disposition. */
  byDisposition: Array<DispositionCount>;
  /** Attempts of the window that carry an agent disposition. */
  totalDisposed: Scalars['Int']['output'];
};

/** What the IVR script does when the callee presses a key. */
export type DtmfAction = {
  __typename?: 'DtmfAction';
  /** The IVR node it leads to, e.g. queue_sales. */
  action?: Maybe<Scalars['String']['output']>;
  /** The key: "0"-"9", "*" or "#". */
  digit: Scalars['String']['output'];
  /** What the key means to the callee, e.g. "Đồng ý chuyển agent". */
  label: Scalars['String']['output'];
};

/** Answered calls by the key the callee pressed. */
export type DtmfCount = {
  __typename?: 'DtmfCount';
  /** Answered calls with this key. */
  count: Scalars['Int']['output'];
  /** The key ("0"-"9", "*", "#"), or "no_input" when none was pressed. */
  key: Scalars['String']['output'];
};

/** Answered calls in which the callee pressed one key. */
export type DtmfDigitCount = {
  __typename?: 'DtmfDigitCount';
  /** Answered attempts with this key. */
  count: Scalars['Int']['output'];
  /** The key: "0"-"9", "*" or "#". */
  digit: Scalars['String']['output'];
  /** The label of the key in the IVR script; null for a key the script does not define. */
  label?: Maybe<Scalars['String']['output']>;
  /** Share of the attempts with a key; the shares sum to exactly 100.00. */
  pct: Scalars['Percentage']['output'];
};

/** What callees pressed in the IVR. */
export type DtmfReport = {
  __typename?: 'DtmfReport';
  /** Count descending, then digit. */
  byDigit: Array<DtmfDigitCount>;
  /** Count descending, then path. */
  byScriptPath: Array<ScriptPathCount>;
  /** Of those, without a key. */
  noInput: Scalars['Int']['output'];
  /** noInput ÷ totalAnswered; null when nothing was answered. */
  noInputRatePct?: Maybe<Scalars['Percentage']['output']>;
  /** Answered attempts in the window. */
  totalAnswered: Scalars['Int']['output'];
  /** Of those, with a key pressed. */
  withDtmfInput: Scalars['Int']['output'];
};

/** The file format of an export. */
export type ExportFormat =
  /** CSV; FULL is a zip of one CSV per report plus calls.csv. */
  | 'CSV'
  /** An Excel workbook, one sheet per report. */
  | 'XLSX';

/** An asynchronous report export, e.g. export_a7b3c5d2. */
export type ExportJob = {
  __typename?: 'ExportJob';
  /** The exported campaign. */
  campaignId: Scalars['ID']['output'];
  /** When it became READY, FAILED or CANCELED. */
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the job was requested. */
  createdAt: Scalars['DateTime']['output'];
  /** A signed link to the file, valid for an hour after the job became READY or its link was renewed; null unless READY. */
  downloadUrl?: Maybe<Scalars['String']['output']>;
  /** Why a FAILED job failed. */
  error?: Maybe<Scalars['String']['output']>;
  /** Seconds until the file is ready, roughly: what is left of this job and, while it is QUEUED, of the jobs queued ahead of it. 0 once it has ended. */
  estimatedSeconds?: Maybe<Scalars['Int']['output']>;
  /** Seconds until the link lapses; null unless READY. */
  expiresInSeconds?: Maybe<Scalars['Int']['output']>;
  /** Bytes of the file, once written. */
  fileSize?: Maybe<Scalars['Int']['output']>;
  /** XLSX or CSV. */
  format: ExportFormat;
  /** The job id, e.g. export_a7b3c5d2. */
  id: Scalars['ID']['output'];
  /** How much is written, "0.00" to "100.00". */
  progressPct?: Maybe<Scalars['Percentage']['output']>;
  /** What the export contains. */
  reportType: ReportType;
  /** Where the job is. */
  status: ExportStatus;
};

/** What to export. */
export type ExportReportInput = {
  /** The campaign, e.g. "5". */
  campaignId: Scalars['ID']['input'];
  /** XLSX (default) or CSV. */
  format?: ExportFormat;
  /** First day (included). Default: the day the campaign started. */
  from?: InputMaybe<Scalars['Date']['input']>;
  /** Which report, or FULL for all of them and the calls. */
  reportType: ReportType;
  /** Zone of the days. Default: Asia/Ho_Chi_Minh. */
  timezone?: InputMaybe<Scalars['TimeZone']['input']>;
  /** Last day (included). Default: today. */
  to?: InputMaybe<Scalars['Date']['input']>;
};

/** Where an export job is: QUEUED → RUNNING → READY, FAILED or CANCELED. READY → EXPIRED when its link lapses (one hour); renewExportLink makes it READY again while the file is kept (24 hours after it was written). */
export type ExportStatus =
  /** Stopped by cancelExport; no file is kept. */
  | 'CANCELED'
  /** Done, but the link has lapsed; renewExportLink gives a new one while the file is kept. */
  | 'EXPIRED'
  /** Stopped; error says why. */
  | 'FAILED'
  /** Waiting for the worker. */
  | 'QUEUED'
  /** Done; downloadUrl fetches the file. */
  | 'READY'
  /** Being written; see progressPct. */
  | 'RUNNING';

/** One stage of the conversion funnel, counted in distinct leads. */
export type FunnelStage = {
  __typename?: 'FunnelStage';
  /** Leads that reached this stage (and every stage before it). */
  count: Scalars['Int']['output'];
  /** Share of the previous stage's leads lost here; null for the first stage. */
  dropRatePct?: Maybe<Scalars['Percentage']['output']>;
  /** Imported lead, Dialed, Answered, Pressed valid DTMF, Transferred to agent or Agent disposed. */
  stage: Scalars['String']['output'];
};

/** Calls that ended with one hangup cause. */
export type HangupCauseCount = {
  __typename?: 'HangupCauseCount';
  /** Attempts that ended with it. */
  count: Scalars['Int']['output'];
  /** FreeSWITCH / Q.850 cause name, e.g. NORMAL_CLEARING. */
  hangupCause: Scalars['String']['output'];
  /** Share of all attempts; the shares sum to exactly 100.00. */
  pct: Scalars['Percentage']['output'];
};

/** Why the calls of a window ended. */
export type HangupReport = {
  __typename?: 'HangupReport';
  /** Count descending, then cause name. */
  byHangupCause: Array<HangupCauseCount>;
  /** Attempts in the window (the kpis' dialed). */
  totalCalls: Scalars['Int']['output'];
};

/** The calls that started in one local hour of one weekday. */
export type HeatmapCell = {
  __typename?: 'HeatmapCell';
  /** answered ÷ dialed; null for an empty cell. */
  answerRatePct?: Maybe<Scalars['Percentage']['output']>;
  /** Of those, answered. */
  answered: Scalars['Int']['output'];
  /** 0 = Sunday, 1 = Monday, … 6 = Saturday. */
  dayOfWeek: Scalars['Int']['output'];
  /** Attempts started in this hour of this weekday. */
  dialed: Scalars['Int']['output'];
  /** Local hour, 0-23. */
  hour: Scalars['Int']['output'];
  /** The chosen metric as a number, for colour scales; null where the rate is. */
  value?: Maybe<Scalars['Float']['output']>;
};

/** Which number a heatmap cell's value carries. */
export type HeatmapMetric =
  /** Answered attempts. */
  | 'ANSWERED'
  /** answered ÷ dialed as a number such as 65.38. */
  | 'ANSWER_RATE_PCT'
  /** Attempts started in the cell. */
  | 'DIALED';

/** Actions. Every field needs the autocall_api_access permission. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Stops a QUEUED or RUNNING export: it becomes CANCELED, its worker stops within 2 seconds and removes its file, and its subscribers get the CANCELED state. Needs autocall_export_report. */
  cancelExport: ExportJob;
  /** Starts an export and returns its job at once (QUEUED). Needs autocall_export_report as well. */
  exportReport: ExportJob;
  /** A fresh download link, valid one hour, for a READY or EXPIRED job whose file is still kept (24 hours after it was written); the job reads READY again. Needs autocall_export_report. */
  renewExportLink: ExportJob;
};


/** Actions. Every field needs the autocall_api_access permission. */
export type MutationCancelExportArgs = {
  id: Scalars['ID']['input'];
};


/** Actions. Every field needs the autocall_api_access permission. */
export type MutationExportReportArgs = {
  input: ExportReportInput;
};


/** Actions. Every field needs the autocall_api_access permission. */
export type MutationRenewExportLinkArgs = {
  id: Scalars['ID']['input'];
};

/** Where a page sits in a connection (Relay). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last item of this page; pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first item of this page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Reports of the AutoCall outbound dialer. Every field needs the autocall_api_access permission. */
export type Query = {
  __typename?: 'Query';
  /** One campaign of the caller's tenant by id; null when it does not exist or belongs to another tenant. */
  campaign?: Maybe<Campaign>;
  /** One metric for several campaigns side by side, best first (nulls last, then by id). */
  campaignComparison: Array<CampaignMetricValue>;
  /** The caller's campaigns ordered by id, as a Relay connection. */
  campaigns: CampaignConnection;
  /** An export job of the caller's tenant; null when missing or another tenant's. */
  exportJob?: Maybe<ExportJob>;
};


/** Reports of the AutoCall outbound dialer. Every field needs the autocall_api_access permission. */
export type QueryCampaignArgs = {
  id: Scalars['ID']['input'];
};


/** Reports of the AutoCall outbound dialer. Every field needs the autocall_api_access permission. */
export type QueryCampaignComparisonArgs = {
  campaignIds: Array<Scalars['ID']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  metric?: ComparisonMetric;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** Reports of the AutoCall outbound dialer. Every field needs the autocall_api_access permission. */
export type QueryCampaignsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** Reports of the AutoCall outbound dialer. Every field needs the autocall_api_access permission. */
export type QueryExportJobArgs = {
  id: Scalars['ID']['input'];
};

/** What an export contains. */
export type ReportType =
  /** Attempts by agent disposition. */
  | 'DISPOSITIONS'
  /** Keys pressed. */
  | 'DTMF'
  /** Every report, plus a Calls sheet with one row per attempt. */
  | 'FULL'
  /** The conversion funnel. */
  | 'FUNNEL'
  /** Calls by hangup cause. */
  | 'HANGUP'
  /** Weekday × hour cells. */
  | 'HEATMAP'
  /** The KPIs sheet. */
  | 'KPIS'
  /** The daily trend. */
  | 'TREND';

/** Answered calls that went through the same IVR nodes. */
export type ScriptPathCount = {
  __typename?: 'ScriptPathCount';
  /** Answered attempts that took this path. */
  count: Scalars['Int']['output'];
  /** The nodes visited, joined with " → ", e.g. "intro → press_1 → queue_sales". */
  path: Scalars['String']['output'];
};

/** Pushed updates, over graphql-ws or SSE. Every field needs the autocall_api_access permission. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The campaign at once, with whatever reports you select, then again after every committed change to its data (ingest or import), at most once a second. Subscribers with the same selection and variables share one computation. */
  campaignUpdated: Campaign;
  /** The job's current state at once, then every status and progress change; ends after READY, FAILED, EXPIRED or CANCELED. */
  exportJobUpdated: ExportJob;
};


/** Pushed updates, over graphql-ws or SSE. Every field needs the autocall_api_access permission. */
export type SubscriptionCampaignUpdatedArgs = {
  id: Scalars['ID']['input'];
};


/** Pushed updates, over graphql-ws or SSE. Every field needs the autocall_api_access permission. */
export type SubscriptionExportJobUpdatedArgs = {
  id: Scalars['ID']['input'];
};

/** Talk seconds (billsec) of the answered attempts of the window, nearest rank: each is the smallest value with at least that share of them at or below it, as PostgreSQL's percentile_disc. Null when nothing was answered. */
export type TalkTimePercentiles = {
  __typename?: 'TalkTimePercentiles';
  /** The median: at least half of the answered attempts talked this long or less. */
  p50?: Maybe<Scalars['Int']['output']>;
  /** At least 90 % talked this long or less. */
  p90?: Maybe<Scalars['Int']['output']>;
  /** At least 95 % talked this long or less. */
  p95?: Maybe<Scalars['Int']['output']>;
  /** At least 99 % talked this long or less. */
  p99?: Maybe<Scalars['Int']['output']>;
};

/** The calls that started in one bucket of a trend. */
export type TrendBucket = {
  __typename?: 'TrendBucket';
  /** answered ÷ dialed; null for an empty bucket. */
  answerRatePct?: Maybe<Scalars['Percentage']['output']>;
  /** Of those, answered. */
  answered: Scalars['Int']['output'];
  /** Mean talk seconds of the answered attempts, rounded half up. */
  avgDurationSec?: Maybe<Scalars['Int']['output']>;
  /** The quarter hour or hour with its offset (2026-06-28T09:15:00+07:00), the day (2026-06-28), the week's Monday (2026-06-29) or the month (2026-06). */
  bucket: Scalars['String']['output'];
  /** Attempts started in the bucket. */
  dialed: Scalars['Int']['output'];
  /** The instant after the last one it covers: a New York fall-back day runs 25 hours. */
  end: Scalars['DateTime']['output'];
  /** The first instant the bucket covers (clipped to the range for a week or month). */
  start: Scalars['DateTime']['output'];
  /** Successful transfers to an agent queue. */
  transferCount: Scalars['Int']['output'];
};

/** The size of a trend bucket. */
export type TrendGranularity =
  /** One bucket per local calendar day, labelled 2026-06-28 (at most 3 years). */
  | 'DAY'
  /** One bucket per local hour, labelled 2026-06-28T09:00:00+07:00 (at most 31 days). */
  | 'HOUR'
  /** One bucket per calendar month, labelled 2026-06; the first and last hold only the days of the range. */
  | 'MONTH'
  /** One bucket per local quarter hour, labelled 2026-06-28T09:15:00+07:00 (at most 7 days). */
  | 'QUARTER_HOUR'
  /** One bucket per ISO week (Monday to Sunday), labelled by its Monday, 2026-06-29; the first and last hold only the days of the range. */
  | 'WEEK';

export type CampaignHeadlineQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CampaignHeadlineQuery = { __typename: 'Query', campaign?: { __typename: 'Campaign', id: string, name: string, kpis: { __typename: 'CampaignKpis', dialed: number, answered: number, answerRatePct?: string | null } } | null };

export type CampaignKpisSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CampaignKpisSubscription = { __typename?: 'Subscription', campaignUpdated: { __typename: 'Campaign', id: string, name: string, kpis: { __typename: 'CampaignKpis', dialed: number, answered: number, answerRatePct?: string | null } } };

export type CampaignLiveSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CampaignLiveSubscription = { __typename?: 'Subscription', campaignUpdated: { __typename: 'Campaign', name: string, dataUpdatedAt?: string | null, kpis: { __typename: 'CampaignKpis', dialed: number, answered: number, answerRatePct?: string | null } } };

export type ExportKpisMutationVariables = Exact<{
  campaignId: Scalars['ID']['input'];
}>;


export type ExportKpisMutation = { __typename: 'Mutation', exportReport: { __typename: 'ExportJob', id: string, status: ExportStatus, estimatedSeconds?: number | null } };

export type FollowExportSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type FollowExportSubscription = { __typename?: 'Subscription', exportJobUpdated: { __typename: 'ExportJob', status: ExportStatus, progressPct?: string | null, downloadUrl?: string | null, error?: string | null } };

export type CampaignDialsSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CampaignDialsSubscription = { __typename?: 'Subscription', campaignUpdated: { __typename: 'Campaign', id: string, name: string, kpis: { __typename: 'CampaignKpis', dialed: number, answered: number, answerRatePct?: string | null } } };


export const CampaignHeadlineDocument = {"__meta__":{"hash":"186ea45758bde183d93d4e8d94eaf5d2e13337696d289b0d697d64c819ca586d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CampaignHeadline"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"dialed"}},{"kind":"Field","name":{"kind":"Name","value":"answered"}},{"kind":"Field","name":{"kind":"Name","value":"answerRatePct"}}]}}]}}]}}]} as unknown as DocumentNode<CampaignHeadlineQuery, CampaignHeadlineQueryVariables>;
export const CampaignKpisDocument = {"__meta__":{"hash":"09ff005c85988ef676dfa46209124d769920d06aad0e860b9ccc98bbcb42ee4a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CampaignKpis"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"dialed"}},{"kind":"Field","name":{"kind":"Name","value":"answered"}},{"kind":"Field","name":{"kind":"Name","value":"answerRatePct"}}]}}]}}]}}]} as unknown as DocumentNode<CampaignKpisSubscription, CampaignKpisSubscriptionVariables>;
export const CampaignLiveDocument = {"__meta__":{"hash":"8605b8ec8ce7823ec468aabe58ebdd29d3d94eb94a9a06a26cee03658c8443b2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CampaignLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"dataUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"dialed"}},{"kind":"Field","name":{"kind":"Name","value":"answered"}},{"kind":"Field","name":{"kind":"Name","value":"answerRatePct"}}]}}]}}]}}]} as unknown as DocumentNode<CampaignLiveSubscription, CampaignLiveSubscriptionVariables>;
export const ExportKpisDocument = {"__meta__":{"hash":"025050ece0514d7a1cb5035f7b72c4ccd70a72273794ee0adc751b39cd17c64b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExportKpis"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"exportReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"reportType"},"value":{"kind":"EnumValue","value":"KPIS"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedSeconds"}}]}}]}}]} as unknown as DocumentNode<ExportKpisMutation, ExportKpisMutationVariables>;
export const FollowExportDocument = {"__meta__":{"hash":"a9a62ed522131b03cfb8713b58ea948d71cd75ad5021f1ffe683b82b3149aa6a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FollowExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportJobUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progressPct"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<FollowExportSubscription, FollowExportSubscriptionVariables>;
export const CampaignDialsDocument = {"__meta__":{"hash":"e681a397de496c9f7afe3c4674814e14d222c7e3088e73819c6a30481310ebb8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CampaignDials"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"dialed"}},{"kind":"Field","name":{"kind":"Name","value":"answered"}},{"kind":"Field","name":{"kind":"Name","value":"answerRatePct"}}]}}]}}]}}]} as unknown as DocumentNode<CampaignDialsSubscription, CampaignDialsSubscriptionVariables>;
import { z } from 'zod';
import { campaignId, count, dayRange, instant, lowerCaseEnum, percentage, restInstant, seconds, timezone } from './parameters.js';
import { defineRoute, type Route } from './route.js';

const EXPORTS = '/api/autocall/campaigns/{id}/reports/export';

const status = z
  .enum(['queued', 'running', 'ready', 'failed', 'expired', 'canceled'])
  .meta({ description: 'queued → running → ready, failed or canceled; ready → expired when the link lapses (one hour).' });

const reportType = lowerCaseEnum(
  ['kpis', 'trend', 'hangup', 'dtmf', 'funnel', 'heatmap', 'dispositions', 'full'],
  'Which report; full is every report plus one row per call.',
);

const jobId = z.string().max(100, { error: 'is not an export job id' }).meta({ description: 'The export job id.', example: 'export_a7b3c5d2' });

interface GraphqlJob {
  job_id: string;
  campaignId: string;
  status: string;
  report_type: string;
  format: string;
  estimated_seconds: number | null;
  progress_pct: string | null;
  download_url: string | null;
  expires_in_seconds: number | null;
  file_size: number | null;
  created_at: string;
  completed_at: string | null;
  error: string | null;
}

export const startExportRoute = defineRoute({
  operationId: 'startExport',
  method: 'POST',
  path: EXPORTS,
  summary: 'Xuất Excel: start an export',
  description: 'Starts an export job and answers at once (202); poll its status, or follow it with the exportJobUpdated subscription.',
  graphqlField: 'Mutation.exportReport',
  exportPermission: true,
  params: { path: z.object({ id: campaignId }), query: z.object({}) },
  body: z.object({
    report_type: reportType,
    ...dayRange,
    format: lowerCaseEnum(['xlsx', 'csv'], 'xlsx (default), or csv: one file, or a zip of files for full.').optional(),
    timezone: timezone.optional(),
  }),
  status: 202,
  data: z.object({
    job_id: jobId,
    status,
    report_type: reportType,
    estimated_seconds: seconds.nullable().meta({ description: 'Roughly how long until the file is ready.' }),
  }),
  document: /* GraphQL */ `
    mutation RestStartExport($id: ID!, $reportType: ReportType!, $from: Date, $to: Date, $timezone: TimeZone, $format: ExportFormat! = XLSX) {
      exportReport(input: { campaignId: $id, reportType: $reportType, from: $from, to: $to, timezone: $timezone, format: $format }) {
        job_id: id
        status
        report_type: reportType
        estimated_seconds: estimatedSeconds
      }
    }`,
  variables: ({ path, body }) => ({
    id: path.id,
    reportType: body.report_type.toUpperCase(),
    from: body.from,
    to: body.to,
    timezone: body.timezone,
    format: body.format?.toUpperCase(),
  }),
  answer: (data: { exportReport: { job_id: string; status: string; report_type: string; estimated_seconds: number | null } }) => ({
    ...data.exportReport,
    status: data.exportReport.status.toLowerCase() as z.infer<typeof status>,
    report_type: data.exportReport.report_type.toLowerCase() as z.infer<typeof reportType>,
  }),
  parameterNames: { campaignId: 'id' },
  location: (data, { path }) => `/api/autocall/campaigns/${path.id}/reports/export/${data.job_id}`,
});

export const exportStatusRoute = defineRoute({
  operationId: 'getExport',
  method: 'GET',
  path: `${EXPORTS}/{job_id}`,
  summary: 'Polling status: an export job',
  description: 'Where an export job is; once ready, a signed download_url valid for an hour (expires_in_seconds).',
  graphqlField: 'Query.exportJob',
  params: { path: z.object({ id: campaignId, job_id: jobId }), query: z.object({}) },
  status: 200,
  data: z.object({
    job_id: jobId,
    status,
    report_type: reportType,
    format: z.enum(['xlsx', 'csv']),
    progress_pct: percentage.nullable(),
    estimated_seconds: seconds.nullable(),
    download_url: z.string().nullable().meta({ description: 'A signed link to the file, valid one hour; null unless ready.' }),
    expires_in_seconds: seconds.nullable().meta({ description: 'Seconds until the link lapses; null unless ready.' }),
    file_size: count.nullable().meta({ description: 'Bytes of the file, once written.' }),
    created_at: instant,
    completed_at: instant.nullable(),
    error: z.string().nullable().meta({ description: 'Why a failed job failed.' }),
  }),
  document: /* GraphQL */ `
    query RestExport($jobId: ID!) {
      exportJob(id: $jobId) {
        job_id: id
        campaignId
        status
        report_type: reportType
        format
        estimated_seconds: estimatedSeconds
        progress_pct: progressPct
        download_url: downloadUrl
        expires_in_seconds: expiresInSeconds
        file_size: fileSize
        created_at: createdAt
        completed_at: completedAt
        error
      }
    }`,
  variables: ({ path }) => ({ jobId: path.job_id }),
  answer: (data: { exportJob: GraphqlJob | null }, { path }) => {
    const job = data.exportJob;
    // A job of another campaign is not at this path.
    if (!job || job.campaignId !== path.id) return null;
    const { campaignId: _campaign, ...fields } = job;
    return {
      ...fields,
      status: job.status.toLowerCase() as z.infer<typeof status>,
      report_type: job.report_type.toLowerCase() as z.infer<typeof reportType>,
      format: job.format.toLowerCase() as 'xlsx' | 'csv',
      created_at: restInstant(job.created_at),
      completed_at: restInstant(job.completed_at),
    };
  },
  parameterNames: { id: 'job_id', jobId: 'job_id' },
  notFound: ({ path }) => ({ parameter: 'job_id', message: `Export job "${path.job_id}" of campaign ${path.id} not found` }),
});

export const EXPORT_ROUTES: Route[] = [startExportRoute, exportStatusRoute];

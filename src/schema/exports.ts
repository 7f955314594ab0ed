import { countCalls } from '../data/call-rows.js';
import { cancelJob, createJob, currentStatus, FINAL_STATUSES, findJob, isLaterState, renewLink, secondsLeft, type ExportJob } from '../exports/jobs.js';
import { signDownload } from '../exports/signing.js';
import { checkTrendRange } from '../reports/buckets.js';
import { checkCallList } from '../reports/removed-calls.js';
import { dayRangeWindow, resolveDayRange, resolveTimezone } from '../reports/window.js';
import type { Context } from './context.js';
import { apiError, badUserInput } from '../errors.js';
import { builder } from './builder.js';
import { parseCampaignId, parseJobId } from './ids.js';
import { errorField, logger } from '../logging/logger.js';

const ReportType = builder.enumType('ReportType', {
  description: 'What an export contains.',
  values: {
    KPIS: { value: 'kpis', description: 'The KPIs sheet.' },
    TREND: { value: 'trend', description: 'The daily trend.' },
    HANGUP: { value: 'hangup', description: 'Calls by hangup cause.' },
    DTMF: { value: 'dtmf', description: 'Keys pressed.' },
    FUNNEL: { value: 'funnel', description: 'The conversion funnel.' },
    DISPOSITIONS: { value: 'dispositions', description: 'Attempts by agent disposition.' },
    HEATMAP: { value: 'heatmap', description: 'Weekday × hour cells.' },
    FULL: { value: 'full', description: 'Every report, plus a Calls sheet with one row per attempt.' },
  } as const,
});

const ExportFormat = builder.enumType('ExportFormat', {
  description: 'The file format of an export.',
  values: {
    XLSX: { value: 'xlsx', description: 'An Excel workbook, one sheet per report.' },
    CSV: { value: 'csv', description: 'CSV; FULL is a zip of one CSV per report plus calls.csv.' },
  } as const,
});

const ExportStatus = builder.enumType('ExportStatus', {
  description:
    'Where an export job is: QUEUED → RUNNING → READY, FAILED or CANCELED. READY → EXPIRED when its link lapses (one hour); renewExportLink makes it READY again while the file is kept (24 hours after it was written).',
  values: {
    QUEUED: { value: 'queued', description: 'Waiting for the worker.' },
    RUNNING: { value: 'running', description: 'Being written; see progressPct.' },
    READY: { value: 'ready', description: 'Done; downloadUrl fetches the file.' },
    FAILED: { value: 'failed', description: 'Stopped; error says why.' },
    EXPIRED: { value: 'expired', description: 'Done, but the link has lapsed; renewExportLink gives a new one while the file is kept.' },
    CANCELED: { value: 'canceled', description: 'Stopped by cancelExport; no file is kept.' },
  } as const,
});

const ExportJobRef = builder.objectRef<ExportJob>('ExportJob').implement({
  description: 'An asynchronous report export, e.g. export_a7b3c5d2.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The job id, e.g. export_a7b3c5d2.' }),
    campaignId: t.id({ description: 'The exported campaign.', resolve: (job) => String(job.campaignId) }),
    reportType: t.field({ type: ReportType, description: 'What the export contains.', resolve: (job) => job.reportType as never }),
    format: t.field({ type: ExportFormat, description: 'XLSX or CSV.', resolve: (job) => job.format as never }),
    status: t.field({ type: ExportStatus, description: 'Where the job is.', resolve: (job) => currentStatus(job) }),
    estimatedSeconds: t.int({
      nullable: true,
      description:
        'Seconds until the file is ready, roughly: what is left of this job and, while it is QUEUED, of the jobs queued ahead of it. 0 once it has ended.',
      resolve: (job, _args, context) => secondsLeft(context.prisma, job),
    }),
    progressPct: t.field({
      type: 'Percentage',
      nullable: true,
      description: 'How much is written, "0.00" to "100.00".',
      resolve: (job) => `${job.progressPct}.00`,
    }),
    downloadUrl: t.string({
      nullable: true,
      description: 'A signed link to the file, valid for an hour after the job became READY or its link was renewed; null unless READY.',
      resolve: (job, _args, context) => {
        if (currentStatus(job) !== 'ready' || !job.expiresAt) return null;
        const expires = Math.floor(job.expiresAt.getTime() / 1000);
        const signature = signDownload(context.exports.downloadKey, job.id, expires);
        return `${context.exports.publicUrl}/exports/${job.id}/download?expires=${expires}&signature=${signature}`;
      },
    }),
    expiresInSeconds: t.int({
      nullable: true,
      description: 'Seconds until the link lapses; null unless READY.',
      resolve: (job) =>
        currentStatus(job) === 'ready' && job.expiresAt ? Math.max(0, Math.ceil((job.expiresAt.getTime() - Date.now()) / 1000)) : null,
    }),
    fileSize: t.exposeInt('fileSize', { nullable: true, description: 'Bytes of the file, once written.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the job was requested.' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'When it became READY, FAILED or CANCELED.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why a FAILED job failed.' }),
  }),
});

const ExportReportInput = builder.inputType('ExportReportInput', {
  description: 'What to export.',
  fields: (t) => ({
    campaignId: t.id({ required: true, description: 'The campaign, e.g. "5".' }),
    reportType: t.field({ type: ReportType, required: true, description: 'Which report, or FULL for all of them and the calls.' }),
    from: t.field({ type: 'Date', description: 'First day (included). Default: the day the campaign started.' }),
    to: t.field({ type: 'Date', description: 'Last day (included). Default: today.' }),
    timezone: t.field({ type: 'TimeZone', description: 'Zone of the days. Default: Asia/Ho_Chi_Minh.' }),
    format: t.field({ type: ExportFormat, defaultValue: 'xlsx', required: true, description: 'XLSX (default) or CSV.' }),
  }),
});

builder.queryFields((t) => ({
  exportJob: t.field({
    type: ExportJobRef,
    nullable: true,
    description: 'An export job of the caller\'s tenant; null when missing or another tenant\'s.',
    args: { id: t.arg.id({ required: true, description: 'The job id, e.g. export_a7b3c5d2.' }) },
    resolve: (_root, args, context) => findJob(context.prisma, context.viewer.tenantId, parseJobId(args.id, 'id')),
  }),
}));

builder.mutationFields((t) => ({
  exportReport: t.field({
    type: ExportJobRef,
    description: 'Starts an export and returns its job at once (QUEUED). Needs autocall_export_report as well.',
    authScopes: { exportReport: true },
    args: { input: t.arg({ type: ExportReportInput, required: true, description: 'What to export.' }) },
    resolve: async (_root, { input }, context) => {
      const campaignId = parseCampaignId(input.campaignId, 'campaignId');
      const campaign = await context.loaders.campaign.load(campaignId);
      if (!campaign) throw apiError('NOT_FOUND', `Campaign "${campaignId}" not found`, { argumentName: 'campaignId' });
      const timezone = resolveTimezone(input.timezone);
      const range = resolveDayRange(input, timezone, campaign.startedAt, new Date());
      // The trend sheet has the limits of the trend field: refuse now rather than fail the job.
      if (input.reportType === 'trend' || input.reportType === 'full') checkTrendRange(range, 'day');
      if (input.reportType === 'full') checkCallList(campaign, dayRangeWindow(range));
      const calls = input.reportType === 'full' ? await countCalls(context.prisma, { campaignId, ...dayRangeWindow(range) }) : 0;
      const job = await createJob(context.prisma, {
        tenantId: context.viewer.tenantId,
        campaignId,
        reportType: input.reportType,
        format: input.format,
        fromDate: range.firstDay,
        toDate: range.lastDay,
        timezone,
        // npm run bench: 1,011,558 calls in about 37 s, report sheets included; plus a moment to start.
        estimatedSeconds: 2 + Math.ceil(calls / 30_000),
      });
      // The job is in PostgreSQL already, so the answer does not wait on the queue (Redis may be
      // down): a job that did not reach it is queued again when Redis is back, or by housekeeping.
      context.exports.worker.enqueue(job.id, context.tracing.context).catch((error) => logger.error({ job: job.id, error: errorField(error) }, 'queueing an export job failed; it stays QUEUED'));
      return job;
    },
  }),
}));

/** The caller's job, or NOT_FOUND (also for another tenant's). */
async function jobOrNotFound(context: Context, id: string): Promise<ExportJob> {
  const job = await findJob(context.prisma, context.viewer.tenantId, id);
  if (!job) throw apiError('NOT_FOUND', `Export job "${id}" not found`, { argumentName: 'id' });
  return job;
}

builder.mutationFields((t) => ({
  cancelExport: t.field({
    type: ExportJobRef,
    description:
      'Stops a QUEUED or RUNNING export: it becomes CANCELED, its worker stops within 2 seconds and removes its file, and its subscribers get the CANCELED state. Needs autocall_export_report.',
    authScopes: { exportReport: true },
    args: { id: t.arg.id({ required: true, description: 'The job id, e.g. export_a7b3c5d2.' }) },
    resolve: async (_root, args, context) => {
      const id = parseJobId(args.id, 'id');
      const canceled = await cancelJob(context.prisma, context.viewer.tenantId, id);
      if (canceled) {
        context.exports.pubsub.publish('exportJob', id, { id });
        return canceled;
      }
      const job = await jobOrNotFound(context, id);
      throw badUserInput('id', `names a job that has already ended (${currentStatus(job).toUpperCase()}): only a QUEUED or RUNNING job can be canceled`);
    },
  }),
  renewExportLink: t.field({
    type: ExportJobRef,
    description:
      'A fresh download link, valid one hour, for a READY or EXPIRED job whose file is still kept (24 hours after it was written); the job reads READY again. Needs autocall_export_report.',
    authScopes: { exportReport: true },
    args: { id: t.arg.id({ required: true, description: 'The job id, e.g. export_a7b3c5d2.' }) },
    resolve: async (_root, args, context) => {
      const id = parseJobId(args.id, 'id');
      const job = await jobOrNotFound(context, id);
      const status = currentStatus(job);
      if (status !== 'ready' && status !== 'expired') {
        throw badUserInput('id', `names a ${status.toUpperCase()} job: only a READY or EXPIRED job has a link to renew`);
      }
      const renewed = await renewLink(context.prisma, job);
      if (!renewed) {
        throw badUserInput('id', 'names a job whose file is no longer kept (files are kept 24 hours): export again');
      }
      context.exports.pubsub.publish('exportJob', id, { id });
      return renewed;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  exportJobUpdated: t.field({
    type: ExportJobRef,
    description: 'The job\'s current state at once, then every status and progress change; ends after READY, FAILED, EXPIRED or CANCELED.',
    args: { id: t.arg.id({ required: true, description: 'The job id.' }) },
    subscribe: (_root, args, context) => followJob(context, parseJobId(args.id, 'id')),
    resolve: (job) => job,
  }),
}));

async function* followJob(context: Context, id: string) {
  // Listen before reading, so no change between the read and the first event is lost.
  const events = context.exports.pubsub.subscribe('exportJob', id)[Symbol.asyncIterator]();
  const firstEvent = events.next();
  try {
    const current = await jobOrNotFound(context, id);
    yield current;
    let last = current;
    for (let next = firstEvent; !FINAL_STATUSES.has(currentStatus(last)); next = events.next()) {
      const { done } = await next;
      if (done) return;
      // Read again for the caller's tenant; a change no later than what was already sent is skipped.
      const job = await findJob(context.prisma, context.viewer.tenantId, id);
      if (!job || !isLaterState(job, last)) continue;
      last = job;
      yield job;
    }
  } finally {
    await events.return?.();
  }
}

import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { callRows, countCalls } from '../data/call-rows.js';
import { Loaders } from '../data/loaders.js';
import { createReportService } from '../data/report-service.js';
import { checkCallList } from '../reports/removed-calls.js';
import type { Database } from '../db/client.js';
import type { Campaign } from '../db/generated/prisma/client.js';
import { dayRangeWindow, resolveDayRange } from '../reports/window.js';
import type { PubSub } from '../events/pubsub.js';
import { ClaimLostError, claimableJobIds, claimJob, LEASE_SECONDS, releaseClaim, renewClaim } from './claims.js';
import { writeCsv, writeCsvZip } from './csv-writer.js';
import { DOWNLOAD_TTL_SECONDS, FILE_KEPT_SECONDS } from './signing.js';
import { dispositionsTable, dtmfTable, funnelTable, hangupTable, heatmapTable, kpisTable, trendTable, type ExportScope, type Table } from './tables.js';
import { InProcessQueue, type JobQueue, type RunJob } from './job-queue.js';
import { inSpan, linkTo, traceCarrier } from '../tracing/tracing.js';
import { RowProgress } from './progress.js';
import type { ExportJob, ReportType } from './jobs.js';
import { writeXlsx } from './xlsx-writer.js';
import type { ExportStore } from './store.js';
import { errorField, logger } from '../logging/logger.js';

/** How often a running job checks whether it was canceled: cancelExport promises a stop within 2 s. */
const CANCEL_CHECK_MS = 500;

/** Why a run stopped when its job was canceled. */
class ExportCanceledError extends Error {}

/** Told how each job this worker ran ended (metrics). */
export type ExportObserver = (status: 'ready' | 'failed' | 'canceled', seconds: number, bytes: number) => void;

/** An export file's name: the job id, then the first 8 characters of the claim that wrote it. */
const EXPORT_FILE = /^(export_[0-9a-f]{8})-([0-9a-f]{8})\.(?:xlsx|csv|zip)$/;

/**
 * Runs export jobs handed over by the job queue (in process, or BullMQ through Redis), each under a
 * claim (claims.ts) so no job is written twice. Every state change is written first and published
 * after, so a subscriber never sees a state the database does not hold. Jobs left queued, or
 * running by an instance that stopped, are queued again by resume().
 */
export class ExportWorker {
  private readonly queue: JobQueue;
  /** Aborted by close(): running jobs stop at their next step and go back to the queue. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: Database,
    private readonly pubsub: PubSub,
    private readonly store: ExportStore,
    queue?: (run: RunJob) => JobQueue,
    private readonly observe: ExportObserver = () => {},
  ) {
    // A job's span starts a trace of its own, linked to the request that made the job.
    const run: RunJob = (jobId, trace) => inSpan('export job', { 'autocall.export.job': jobId }, (job) => this.run(jobId, job), { parent: ROOT_CONTEXT, root: true, links: linkTo(trace) });
    this.queue = queue ? queue(run) : new InProcessQueue(run);
  }

  /** Queues every job waiting for a worker: on start, and again now and then for jobs whose worker died. */
  async resume(): Promise<void> {
    for (const jobId of await claimableJobIds(this.db.prisma)) await this.enqueue(jobId);
  }

  /** Queues the job, with the trace context of the request making it (none when it is queued again). */
  enqueue(jobId: string, trace: Context = ROOT_CONTEXT): Promise<void> {
    return this.queue.add(jobId, traceCarrier(trace));
  }

  /** Resolves when no export job is waiting or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops: the running job ends at its next page and is queued again for any instance; waiting jobs stay queued. */
  close(): Promise<void> {
    this.stopping.abort();
    return this.queue.close();
  }

  private publish(jobId: string): void {
    this.pubsub.publish('exportJob', jobId, { id: jobId });
  }

  /** Saves a change of a job this worker runs under `claimId`; false once another claim replaced it. */
  private async save(jobId: string, claimId: string, data: Partial<ExportJob>): Promise<boolean> {
    const { count } = await this.db.prisma.exportJob.updateMany({ where: { id: jobId, claimId, status: 'running' }, data });
    if (count === 1) this.publish(jobId);
    return count === 1;
  }

  private async run(jobId: string, trace: Context): Promise<void> {
    const claimId = randomUUID();
    if (this.stopping.signal.aborted || !(await claimJob(this.db.prisma, jobId, claimId))) return;
    this.publish(jobId);
    const job = await this.db.prisma.exportJob.findUniqueOrThrow({ where: { id: jobId }, include: { campaign: true } });
    const renewal = setInterval(
      () => void renewClaim(this.db.prisma, jobId, claimId).catch((error) => logger.error({ job: jobId, error: errorField(error) }, 'renewing an export claim failed')),
      (LEASE_SECONDS * 1000) / 3,
    );
    // Polled rather than pushed, so a cancel made on any instance is seen even while Redis is away.
    const canceled = new AbortController();
    const cancelWatch = setInterval(
      () =>
        void this.db.prisma.exportJob
          .findUnique({ where: { id: jobId }, select: { status: true } })
          .then((row) => row?.status === 'canceled' && canceled.abort(new ExportCanceledError(jobId)))
          .catch(() => undefined),
      CANCEL_CHECK_MS,
    );
    const stop = AbortSignal.any([this.stopping.signal, canceled.signal]);
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    const saveOrStop = async (data: Partial<ExportJob>) => {
      if (!(await this.save(jobId, claimId, data))) throw new ClaimLostError(jobId);
    };
    let file: ReturnType<ExportStore['create']> | undefined;
    try {
      // A file of its own per claim: a worker that lost its claim never writes over the new one's file.
      file = this.store.create(`${jobId}-${claimId.slice(0, 8)}.${fileKind(job)}`);
      await this.write(job, job.campaign, file.stream, stop, (progressPct) => saveOrStop({ progressPct }), trace);
      const fileSize = await file.done();
      const completedAt = new Date();
      await saveOrStop({
        status: 'ready',
        progressPct: 100,
        filePath: file.location,
        fileSize,
        completedAt,
        expiresAt: new Date(completedAt.getTime() + DOWNLOAD_TTL_SECONDS * 1000),
        leaseExpiresAt: null,
      });
      this.observe('ready', took(), fileSize);
      await this.removeStrayFiles(jobId);
    } catch (error) {
      // Nothing to remove when the file could not even be created: that error is the reason.
      await file?.abort().catch(() => undefined);
      if (error === this.stopping.signal.reason) {
        if (await releaseClaim(this.db.prisma, jobId, claimId)) this.publish(jobId);
      } else if (error instanceof ExportCanceledError) {
        this.observe('canceled', took(), 0);
      } else if (!(error instanceof ClaimLostError)) {
        await this.save(jobId, claimId, { status: 'failed', error: failureReason(error), completedAt: new Date(), leaseExpiresAt: null });
        this.observe('failed', took(), 0);
      }
    } finally {
      clearInterval(renewal);
      clearInterval(cancelWatch);
    }
  }

  /**
   * Marks READY jobs whose link has lapsed EXPIRED (their file stays, for renewExportLink), deletes
   * the files kept longer than FILE_KEPT_SECONDS, then removes every file that is neither such a
   * kept download nor being written under a job's live claim, such as the partial file of a worker
   * that was killed mid-export. Returns how many jobs expired.
   */
  async sweep(now = new Date()): Promise<number> {
    const lapsed = await this.db.prisma.exportJob.findMany({ where: { status: 'ready', expiresAt: { lte: now } }, select: { id: true } });
    for (const { id } of lapsed) {
      const { count } = await this.db.prisma.exportJob.updateMany({ where: { id, status: 'ready', expiresAt: { lte: now } }, data: { status: 'expired' } });
      if (count === 1) this.publish(id);
    }
    const keptSince = new Date(now.getTime() - FILE_KEPT_SECONDS * 1000);
    const old = await this.db.prisma.exportJob.findMany({ where: { status: { in: ['ready', 'expired'] }, filePath: { not: null }, completedAt: { lte: keptSince } } });
    for (const job of old) {
      await this.store.remove(job.filePath!);
      await this.db.prisma.exportJob.update({ where: { id: job.id }, data: { status: 'expired', filePath: null } });
      if (job.status === 'ready') this.publish(job.id);
    }
    await this.removeStrayFiles();
    return lapsed.length;
  }

  /** Removes the files of `jobId` (or of every job) that no READY job and no running claim owns. */
  private async removeStrayFiles(jobId?: string): Promise<void> {
    const owned = (await this.store.list())
      .map((file) => ({ ...file, match: EXPORT_FILE.exec(file.name) }))
      .filter(({ match }) => match && (!jobId || match[1] === jobId));
    if (owned.length === 0) return;
    const jobs = await this.db.prisma.exportJob.findMany({ where: { id: { in: [...new Set(owned.map(({ match }) => match![1]!))] } } });
    const byId = new Map(jobs.map((job) => [job.id, job]));
    for (const { location, match } of owned) {
      const job = byId.get(match![1]!);
      const download = (job?.status === 'ready' || job?.status === 'expired') && job.filePath === location;
      const writing = job?.status === 'running' && job.claimId?.startsWith(match![2]!);
      if (!download && !writing) await this.store.remove(location);
    }
  }

  /** Writes the file; throws `stop`'s reason at the next row once it is aborted. */
  private async write(job: ExportJob, campaign: Campaign, output: Writable, stop: AbortSignal, progress: (pct: number) => Promise<void>, trace: Context): Promise<void> {
    // Defaults ("to" = today) resolve against the request time, as they did when the job was made.
    const now = job.createdAt;
    // Every read of the export from one place: a replica that has replayed what was committed by now, or the primary.
    const reader = await this.db.reader();
    const reports = createReportService(new Loaders(reader, job.tenantId, 'rollups', { trace: () => trace }), now);
    const range = resolveDayRange({ from: job.fromDate, to: job.toDate }, job.timezone, campaign.startedAt, now);
    const window = dayRangeWindow(range);
    const scope = { campaign: { id: campaign.id, name: campaign.name }, ...range };
    const tables = await reportTables(reports, campaign, job.reportType as ReportType, window, scope);

    const kind = fileKind(job);
    const callWindow = { campaignId: campaign.id, ...window };
    const full = job.reportType === 'full';
    // A job made before retention removed calls it would list fails, saying so.
    if (full) checkCallList(campaign, callWindow);
    const calls = full ? await countCalls(reader.prisma, callWindow) : 0;
    const rows = new RowProgress(tables.reduce((sum, table) => sum + table.rows.length, calls), progress, stop);
    if (kind === 'csv') return writeCsv(output, tables[0]!, rows);
    if (kind === 'xlsx') {
      const excelCalls = full ? { rows: callRows(reader, callWindow, { excelZone: job.timezone }), zone: job.timezone } : undefined;
      await writeXlsx(output, tables, excelCalls, rows);
    } else await writeCsvZip(output, tables, callRows(reader, callWindow), windowEndLocalParts(range.lastDay), rows);
  }
}

/** An xlsx workbook; a CSV for one report; a zip of CSVs for FULL. */
function fileKind(job: ExportJob): 'xlsx' | 'csv' | 'zip' {
  return job.format === 'xlsx' ? 'xlsx' : job.reportType === 'full' ? 'zip' : 'csv';
}

/** What a caller may read about a failure: file system and object storage trouble by its code, anything else generically. */
function failureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && /^E[A-Z]+$/.test(code)) return `Export failed: could not write the export file (${code})`;
  // The AWS SDK's service errors carry the response's metadata and S3's error code as their name.
  if ((error as { $metadata?: unknown }).$metadata) return `Export failed: could not store the export file (${(error as Error).name})`;
  logger.error({ error: errorField(error) }, 'export failed');
  return 'Export failed: unexpected error while writing the export; try again';
}

/** Midnight ending `lastDay` (YYYY-MM-DD), as a Date of local parts: the window's end, how a zip dates its files. */
function windowEndLocalParts(lastDay: string): Date {
  const [year, month, day] = lastDay.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day + 1);
}

async function reportTables(
  reports: ReturnType<typeof createReportService>,
  campaign: Campaign,
  type: ReportType,
  window: { from: Date; to: Date },
  scope: ExportScope,
): Promise<Table[]> {
  const timezone = scope.zone;
  const build: Record<Exclude<ReportType, 'full'>, () => Promise<Table>> = {
    kpis: async () => kpisTable(await reports.kpis(campaign, { ...window, timezone }), scope),
    trend: async () => trendTable(await reports.trend(campaign, { from: scope.firstDay, to: scope.lastDay, granularity: 'day', timezone }), scope),
    hangup: async () => hangupTable(await reports.hangup(campaign, window)),
    dtmf: async () => dtmfTable(await reports.dtmf(campaign, window)),
    funnel: async () => funnelTable(await reports.funnel(campaign, window)),
    dispositions: async () => dispositionsTable(await reports.dispositions(campaign, window)),
    heatmap: async () => heatmapTable(await reports.heatmap(campaign, { ...window, timezone, metric: 'dialed' }), scope),
  };
  const types = type === 'full' ? (Object.keys(build) as (keyof typeof build)[]) : [type];
  return Promise.all(types.map((name) => build[name]()));
}

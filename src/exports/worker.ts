import fs from 'node:fs';
import path from 'node:path';
import { callRows, countCalls } from '../data/call-rows.js';
import { createLoaders } from '../data/loaders.js';
import { createReportService } from '../data/report-service.js';
import type { Database } from '../db/client.js';
import type { Campaign } from '../db/generated/prisma/client.js';
import { dayRangeWindow, resolveDayRange } from '../reports/window.js';
import type { PubSub } from '../server/pubsub.js';
import { writeCsv, writeCsvZip } from './csv-writer.js';
import { DOWNLOAD_TTL_SECONDS } from './signing.js';
import { dtmfTable, funnelTable, hangupTable, heatmapTable, kpisTable, trendTable, type Table } from './tables.js';
import { InProcessQueue, type JobQueue } from './job-queue.js';
import type { ExportJob, ReportType } from './jobs.js';
import { writeXlsx } from './xlsx-writer.js';

/** How far the report sheets take the progress; the calls sheet fills the rest. */
const REPORTS_DONE_PCT = 10;

/**
 * Runs export jobs handed over by the job queue (in process, or BullMQ through Redis). Every state
 * change is written first and published after, so a subscriber never sees a state the database
 * does not hold. Jobs left queued or running by a stopped instance are queued again by resume().
 */
export class ExportWorker {
  private readonly queue: JobQueue;

  constructor(
    private readonly db: Database,
    private readonly pubsub: PubSub,
    private readonly exportsDir: string,
    queue?: (run: (jobId: string) => Promise<void>) => JobQueue,
  ) {
    const run = (jobId: string) => this.run(jobId);
    this.queue = queue ? queue(run) : new InProcessQueue(run);
  }

  async resume(): Promise<void> {
    const pending = await this.db.prisma.exportJob.findMany({
      where: { status: { in: ['queued', 'running'] } },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    for (const job of pending) await this.enqueue(job.id);
  }

  enqueue(jobId: string): Promise<void> {
    return this.queue.add(jobId);
  }

  /** Resolves when no export job is waiting or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  private async update(jobId: string, data: Partial<ExportJob>): Promise<ExportJob> {
    const job = await this.db.prisma.exportJob.update({ where: { id: jobId }, data });
    this.pubsub.publish('exportJob', jobId, { id: jobId });
    return job;
  }

  private async run(jobId: string): Promise<void> {
    const queued = await this.db.prisma.exportJob.findUnique({ where: { id: jobId }, include: { campaign: true } });
    if (!queued || (queued.status !== 'queued' && queued.status !== 'running')) return;
    const job = await this.update(jobId, { status: 'running', progressPct: 0, error: null });
    try {
      fs.mkdirSync(this.exportsDir, { recursive: true });
      const filePath = await this.write(job, queued.campaign);
      const completedAt = new Date();
      await this.update(jobId, {
        status: 'ready',
        progressPct: 100,
        filePath,
        fileSize: fs.statSync(filePath).size,
        completedAt,
        expiresAt: new Date(completedAt.getTime() + DOWNLOAD_TTL_SECONDS * 1000),
      });
    } catch (error) {
      await this.update(jobId, { status: 'failed', error: failureReason(error), completedAt: new Date() });
    }
  }

  /** Deletes the files of jobs whose link has lapsed and marks them EXPIRED. */
  async sweep(now = new Date()): Promise<number> {
    const lapsed = await this.db.prisma.exportJob.findMany({ where: { status: 'ready', expiresAt: { lte: now } } });
    for (const job of lapsed) {
      if (job.filePath) await fs.promises.rm(job.filePath, { force: true });
      await this.update(job.id, { status: 'expired', filePath: null });
    }
    return lapsed.length;
  }

  private async write(job: ExportJob, campaign: Campaign): Promise<string> {
    // Defaults ("to" = today) resolve against the request time, as they did when the job was made.
    const now = job.createdAt;
    const reports = createReportService(createLoaders(this.db.prisma, job.tenantId), now);
    const range = resolveDayRange({ from: job.fromDate, to: job.toDate }, job.timezone, campaign.startedAt, now);
    const window = dayRangeWindow(range);
    const tables = await reportTables(reports, campaign, job.reportType as ReportType, window, range, job.timezone);
    let lastPct = 0;
    const progress = async (pct: number) => {
      if (pct > lastPct) {
        lastPct = pct;
        await this.update(job.id, { progressPct: pct });
      }
    };
    await progress(REPORTS_DONE_PCT);

    const full = job.reportType === 'full';
    const kind = job.format === 'xlsx' ? 'xlsx' : full ? 'zip' : 'csv';
    const filePath = path.join(this.exportsDir, `${job.id}.${kind}`);
    const callWindow = { campaignId: campaign.id, ...window };
    const total = full ? await countCalls(this.db.prisma, callWindow) : 0;
    let pending = Promise.resolve();
    const onCallRows = (written: number) => {
      const pct = REPORTS_DONE_PCT + Math.floor(((100 - REPORTS_DONE_PCT - 1) * written) / Math.max(total, 1));
      pending = pending.then(() => progress(pct));
    };
    const calls = full ? callRows(this.db.prisma, callWindow) : undefined;
    if (kind === 'xlsx') await writeXlsx(filePath, tables, calls, onCallRows);
    else if (kind === 'zip') await writeCsvZip(filePath, tables, calls!, onCallRows);
    else await writeCsv(filePath, tables[0]!);
    await pending;
    return filePath;
  }
}

/** What a caller may read about a failure: file system trouble by its code, anything else generically. */
function failureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && /^E[A-Z]+$/.test(code)) return `Export failed: could not write the export file (${code})`;
  console.error('export failed', error);
  return 'Export failed: unexpected error while writing the export; try again';
}

async function reportTables(
  reports: ReturnType<typeof createReportService>,
  campaign: Campaign,
  type: ReportType,
  window: { from: Date; to: Date },
  range: { firstDay: string; lastDay: string },
  timezone: string,
): Promise<Table[]> {
  const build: Record<Exclude<ReportType, 'full'>, () => Promise<Table>> = {
    kpis: async () => kpisTable(await reports.kpis(campaign, { ...window, timezone })),
    trend: async () => trendTable(await reports.trend(campaign, { from: range.firstDay, to: range.lastDay, granularity: 'day', timezone })),
    hangup: async () => hangupTable(await reports.hangup(campaign, window)),
    dtmf: async () => dtmfTable(await reports.dtmf(campaign, window)),
    funnel: async () => funnelTable(await reports.funnel(campaign, window)),
    heatmap: async () => heatmapTable(await reports.heatmap(campaign, { ...window, timezone, metric: 'dialed' })),
  };
  const types = type === 'full' ? (Object.keys(build) as (keyof typeof build)[]) : [type];
  return Promise.all(types.map((name) => build[name]()));
}

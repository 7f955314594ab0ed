import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Campaign, ExportJob, PrismaClient } from '../db/generated/prisma/client.js';
import { DOWNLOAD_TTL_SECONDS, FILE_KEPT_SECONDS } from './signing.js';

export type ReportType = 'kpis' | 'trend' | 'hangup' | 'dtmf' | 'funnel' | 'dispositions' | 'heatmap' | 'full';
export type ExportFormat = 'xlsx' | 'csv';
export type { ExportJob };

export const FINAL_STATUSES = new Set(['ready', 'failed', 'expired', 'canceled']);
const STATUS_ORDER = { queued: 0, running: 1, ready: 2, failed: 2, canceled: 2, expired: 3 } as const;

/** Whether `job` is a later state than `previous`: further along, or the same status with more progress. */
export function isLaterState(job: ExportJob, previous: ExportJob): boolean {
  const order = STATUS_ORDER[job.status] - STATUS_ORDER[previous.status];
  return order > 0 || (order === 0 && job.status === previous.status && job.progressPct > previous.progressPct);
}

/** A ready job whose link has lapsed reads as expired, whether or not the sweeper got to it yet. */
export function currentStatus(job: ExportJob, now = new Date()): ExportJob['status'] {
  return job.status === 'ready' && job.expiresAt && job.expiresAt <= now ? 'expired' : job.status;
}

export interface NewJob {
  tenantId: string;
  campaignId: number;
  reportType: ReportType;
  format: ExportFormat;
  fromDate: string;
  toDate: string;
  timezone: string;
  estimatedSeconds: number;
}

export async function createJob(db: PrismaClient, job: NewJob): Promise<ExportJob> {
  for (let attempt = 0; ; attempt += 1) {
    const id = `export_${randomBytes(4).toString('hex')}`;
    try {
      return await db.exportJob.create({ data: { id, ...job } });
    } catch (error) {
      // A clash of eight hex digits is rare; try another id a couple of times.
      if (attempt >= 2 || (error as { code?: string }).code !== 'P2002') throw error;
    }
  }
}

/**
 * Seconds until the job is done, roughly: its own estimate less the share already written, and
 * while it waits, what the jobs ahead of it (of every tenant: they share the workers, each running
 * one job at a time) still need. 0 once it has ended.
 */
export async function secondsLeft(db: PrismaClient, job: ExportJob): Promise<number> {
  const own = job.estimatedSeconds ?? 0;
  if (job.status === 'running') return Math.ceil((own * (100 - job.progressPct)) / 100);
  if (job.status !== 'queued') return 0;
  const [ahead] = await db.$queryRawUnsafe<{ seconds: number }[]>(
    `SELECT coalesce(sum(CASE WHEN status = 'running' THEN ceil(coalesce(estimated_seconds, 0) * (100 - progress_pct) / 100.0)
         ELSE coalesce(estimated_seconds, 0) END), 0)::int AS seconds
     FROM export_job
     WHERE id <> $1 AND (status = 'running' OR (status = 'queued' AND (created_at, id) < ($2::timestamptz, $1)))`,
    job.id,
    job.createdAt,
  );
  return own + ahead!.seconds;
}

/**
 * Cancels a QUEUED or RUNNING job in one conditional UPDATE, so a worker finishing it at the same
 * moment cannot win: its own updates require RUNNING under its claim. The job's worker notices
 * within CANCEL_CHECK_MS, stops and removes its file. Null when the job was not cancelable.
 */
export async function cancelJob(db: PrismaClient, tenantId: string, id: string): Promise<ExportJob | null> {
  const { count } = await db.exportJob.updateMany({
    where: { id, tenantId, status: { in: ['queued', 'running'] } },
    data: { status: 'canceled', completedAt: new Date(), claimId: null, leaseExpiresAt: null },
  });
  return count === 1 ? db.exportJob.findUnique({ where: { id } }) : null;
}

/** A fresh hour for a READY or EXPIRED job's link while its file is kept; null when there is no file to link to. */
export async function renewLink(db: PrismaClient, job: ExportJob, now = new Date()): Promise<ExportJob | null> {
  const keptSince = new Date(now.getTime() - FILE_KEPT_SECONDS * 1000);
  const { count } = await db.exportJob.updateMany({
    where: { id: job.id, status: { in: ['ready', 'expired'] }, filePath: { not: null }, completedAt: { gt: keptSince } },
    data: { status: 'ready', expiresAt: new Date(now.getTime() + DOWNLOAD_TTL_SECONDS * 1000) },
  });
  return count === 1 ? db.exportJob.findUnique({ where: { id: job.id } }) : null;
}

/** The tenant's job; another tenant's job is null, exactly like a missing one. */
export function findJob(db: PrismaClient, tenantId: string, id: string): Promise<ExportJob | null> {
  return db.exportJob.findFirst({ where: { id, tenantId } });
}

/** The download's file name, e.g. renewal-q3_full_2026-06-01_2026-06-30.xlsx. */
export function exportFileName(job: ExportJob, campaign: Campaign): string {
  const slug = campaign.name.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_]+/g, '-') || `campaign-${campaign.id}`;
  const extension = job.filePath ? path.extname(job.filePath) : `.${job.format}`;
  return `${slug}_${job.reportType}_${job.fromDate}_${job.toDate}${extension}`;
}

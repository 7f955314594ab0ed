import type { Database } from '../db/client.js';
import type { ExportObserver } from '../exports/worker.js';
import type { StatementKind } from '../fair-share/cost-model.js';
import type { TenantQueue } from '../fair-share/tenant-queue.js';
import { groupCommitOf } from '../import/group-commit.js';
import type { ImportSummary } from '../import/importer.js';
import type { Metrics } from './registry.js';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

/** The callbacks through which the ingest endpoint, the export worker and the report loaders feed the metrics. */
export function metricObservers(metrics: Metrics) {
  return {
    ingested: (summary: ImportSummary) => {
      metrics.ingest.calls.inc({ outcome: 'accepted' }, sum(summary.imported));
      metrics.ingest.calls.inc({ outcome: 'rejected' }, sum(summary.rejected));
    },
    exportEnded: ((status, seconds, bytes) => {
      metrics.exports.jobs.inc({ status });
      if (status !== 'ready') return;
      metrics.exports.duration.observe(seconds);
      metrics.exports.bytes.inc(bytes);
    }) satisfies ExportObserver,
    vacuumed: (seconds: number) => metrics.ingest.vacuum.observe(seconds),
    push: (seconds: number) => metrics.live.pushLatency.observe(seconds),
    statement: (kind: StatementKind, windows: number, seconds: number) => {
      metrics.data.batchSize.observe({ kind }, windows);
      metrics.data.statement.observe({ kind }, seconds);
    },
  };
}

/**
 * What is read at each scrape (the report pool, the turns, the export jobs waiting) and the group
 * commit's transactions as they happen; returns the function that stops watching.
 */
export function watchSources(metrics: Metrics, db: Database, queue: TenantQueue | undefined): () => void {
  metrics.onScrape(() => {
    const pool = db.poolStats?.();
    if (pool) for (const [state, value] of Object.entries(pool)) metrics.data.pool.set({ state }, value);
    const turns = queue?.stats();
    if (turns) {
      metrics.data.queue.set({ state: 'running' }, turns.running);
      metrics.data.queue.set({ state: 'waiting' }, turns.waiting);
    }
  });
  metrics.onScrape(async () => metrics.exports.queued.set(await db.prisma.exportJob.count({ where: { status: 'queued' } })));
  return groupCommitOf(db).observe(({ records, seconds, lockSeconds }) => {
    metrics.ingest.batchSize.observe(records);
    metrics.ingest.transaction.observe(seconds);
    metrics.ingest.lockWait.observe(lockSeconds);
  });
}

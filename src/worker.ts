import { loadConfig } from './config.js';
import { openConfiguredDatabase } from './db/configured.js';
import { prepareDatabase } from './db/prepare.js';
import { createTopics } from './events/pubsub.js';
import { startHousekeeping } from './exports/housekeeping.js';
import { jobQueueFor } from './exports/job-queue.js';
import { createExportStore } from './exports/store.js';
import { ExportWorker } from './exports/worker.js';
import { startTracing } from './tracing/tracing.js';
import { createMetrics } from './metrics/registry.js';
import { metricObservers } from './metrics/observers.js';
import { serveMetricsOn } from './metrics/http-metrics.js';
import { logger } from './logging/logger.js';
import { runMain, stopOnSignal } from './server/lifecycle.js';

/** Without Redis, a worker learns of new jobs from PostgreSQL: this often. */
const POLL_WITHOUT_REDIS_MS = 2_000;

/**
 * `npm run worker`: runs export jobs and their housekeeping, and serves no HTTP. Gateways started
 * with EXPORT_WORKERS=0 only queue jobs; workers take them from the Redis queue (or, without Redis,
 * find them in PostgreSQL), write the files into EXPORT_STORAGE_URL's bucket and publish each
 * change of state through Redis to the gateways' subscribers.
 */
async function main() {
  const config = loadConfig();
  const stopTracing = await startTracing();
  if (!config.databaseUrl) {
    throw new Error('npm run worker needs DATABASE_URL: the embedded database belongs to the one gateway process that opened it (npm start runs exports itself)');
  }
  const db = await openConfiguredDatabase(config);
  await prepareDatabase(db);
  const topics = createTopics(config.redisUrl, config.redisNamespace);
  const workers = Math.max(config.exportWorkers, 1);
  // A worker serves its metrics (the export jobs it ran, Node's own) only on METRICS_PORT: it has no other port.
  const metrics = config.metrics.enabled && config.metrics.port ? createMetrics({ exemplars: stopTracing !== undefined }) : undefined;
  const store = createExportStore(config.exportStorage);
  const worker = new ExportWorker(db, topics.pubsub, store, jobQueueFor(config.redisUrl, config.redisNamespace, workers), metrics && metricObservers(metrics).exportEnded);
  const metricsServer = metrics && (await serveMetricsOn(metrics, config.metrics.port!));
  const stopHousekeeping = await startHousekeeping(worker, { pollMs: config.redisUrl ? undefined : POLL_WITHOUT_REDIS_MS });
  const where = config.exportStorage.kind === 's3' ? `s3://${config.exportStorage.bucket}/${config.exportStorage.prefix}` : config.exportStorage.dir;
  logger.info(`AutoCall export worker: ${config.redisUrl ? `${workers} job(s) at once from Redis` : 'one job at a time, found in PostgreSQL'}, files in ${where}`);

  stopOnSignal(async (signal) => {
    logger.info(`${signal}: the running job goes back to the queue; stopping…`);
    stopHousekeeping();
    await worker.close();
    await metricsServer?.close();
    await topics.close();
    await db.close();
    await stopTracing?.();
  });
}

runMain(main);

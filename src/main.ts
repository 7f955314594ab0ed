import path from 'node:path';
import { loadConfig } from './config.js';
import { openConfiguredDatabase } from './db/configured.js';
import { createEmbeddedDatabase, DEMO_TENANT, prepareDatabase } from './db/prepare.js';
import { announceGateway } from './import/running-gateway.js';
import { buildApp } from './server/app.js';
import { PERMISSIONS, secretKey, signToken } from './auth/tokens.js';
import { loadOrCreateDevSecret } from './auth/dev-secret.js';
import { createExportStore } from './exports/store.js';
import { createMetrics } from './metrics/registry.js';
import { startTracing } from './tracing/tracing.js';
import { logger } from './logging/logger.js';
import { runMain, stopOnSignal } from './server/lifecycle.js';

/** How long a stopping gateway lets in-flight requests finish. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const config = loadConfig();
  const stopTracing = await startTracing();
  if (!config.databaseUrl) await createEmbeddedDatabase(config.dataDir);
  const db = await openConfiguredDatabase(config);
  await prepareDatabase(db);

  const generatedSecret = config.jwtSecret ? undefined : loadOrCreateDevSecret(config.dataDir);
  const jwtKey = secretKey(config.jwtSecret ?? generatedSecret!);
  const devToken = generatedSecret
    ? await signToken(jwtKey, {
        sub: 'developer',
        tenantId: DEMO_TENANT,
        permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport, PERMISSIONS.explore],
        expiresIn: '30d',
      })
    : undefined;

  const app = buildApp({
    db,
    jwtKey,
    developmentToken: devToken,
    publicUrl: config.publicUrl,
    cors: config.cors,
    ingestMaxBytes: config.ingestMaxBytes,
    responseCacheSeconds: config.responseCacheSeconds,
    rateLimits: config.rateLimits,
    costBudgets: config.costBudgets,
    fairShare: config.fairShare,
    redisUrl: config.redisUrl,
    redisNamespace: config.redisNamespace,
    exportStore: createExportStore(config.exportStorage),
    exportWorkers: config.exportWorkers,
    metrics: config.metrics.enabled ? createMetrics({ exemplars: stopTracing !== undefined }) : undefined,
    metricsPort: config.metrics.port,
    // Access lines are info lines: above that level none is written, and none is prepared.
    accessLog: logger.isLevelEnabled('info') ? logger : undefined,
    tracing: stopTracing !== undefined,
    trustedDocuments: config.trustedDocuments,
  });
  const url = await app.start(config.port);
  // `npm run import` on this DATA_DIR finds the gateway here and imports through it.
  const forget = db.kind === 'embedded' ? announceGateway(config.dataDir, url) : undefined;
  logger.info(`AutoCall Reports GraphQL gateway on ${url}/graphql, dashboard on ${url}/ (database: ${db.kind})`);
  if (devToken) {
    // For the person at the terminal only, never into a log pipeline: a token is a secret.
    if (process.stdout.isTTY) {
      process.stdout.write(`Development token for tenant "${DEMO_TENANT}" (valid 30 days; GraphiQL already sends it):\n  Authorization: Bearer ${devToken}\n`);
    } else logger.info(`A development token for tenant "${DEMO_TENANT}" was made: GraphiQL and the dashboard send it (npm start in a terminal prints it)`);
  }

  stopOnSignal(async (signal) => {
    logger.info(`${signal}: accepting nothing new, finishing the requests in flight (up to ${SHUTDOWN_GRACE_MS / 1000} s)…`);
    forget?.();
    const { cut } = await app.stop({ graceMs: SHUTDOWN_GRACE_MS });
    await db.close();
    // The spans still buffered go out before the process ends.
    await stopTracing?.();
    logger.info(cut === 0 ? 'Stopped cleanly.' : `Stopped; ${cut} request(s) did not finish in time and were cut.`);
  });
}

runMain(main);

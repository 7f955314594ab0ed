import path from 'node:path';
import { loadConfig } from './config.js';
import { openConfiguredDatabase } from './db/configured.js';
import { vacuumAnalyze } from './db/maintenance.js';
import { migrate } from './db/migrator.js';
import { demoLines } from './demo/generator.js';
import { formatSummary, importNdjson } from './import/importer.js';
import { buildApp } from './server/app.js';
import { PERMISSIONS, secretKey, signToken } from './server/auth.js';
import { loadOrCreateDevSecret } from './server/dev-secret.js';

const DEMO_TENANT = 'demo';

async function main() {
  const config = loadConfig();
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);

  if (db.kind === 'embedded' && (await db.prisma.campaign.count()) === 0) {
    console.log('Empty embedded database: loading the demo data set (one month of three campaigns)…');
    console.log(formatSummary(await importNdjson(db, demoLines({ tenantId: DEMO_TENANT }))));
    await vacuumAnalyze(db);
  }

  const generatedSecret = config.jwtSecret ? undefined : loadOrCreateDevSecret(config.dataDir);
  const jwtKey = secretKey(config.jwtSecret ?? generatedSecret!);
  const devToken = generatedSecret
    ? await signToken(jwtKey, {
        sub: 'developer',
        tenantId: DEMO_TENANT,
        permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport],
        expiresIn: '30d',
      })
    : undefined;

  const app = buildApp({
    db,
    jwtKey,
    graphiqlToken: devToken,
    publicUrl: config.publicUrl,
    redisUrl: config.redisUrl,
    exportsDir: path.join(config.dataDir, 'exports'),
  });
  const url = await app.start(config.port);
  console.log(`AutoCall Reports GraphQL gateway on ${url}/graphql (database: ${db.kind})`);
  if (devToken) {
    console.log(`Development token for tenant "${DEMO_TENANT}" (valid 30 days; GraphiQL already sends it):`);
    console.log(`  Authorization: Bearer ${devToken}`);
  }

  const shutdown = async () => {
    await app.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

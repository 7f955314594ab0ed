import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoLines } from '../demo/generator.js';
import { formatSummary, importNdjson } from '../import/importer.js';
import { embeddedStorage, type Database } from './client.js';
import { vacuumAnalyze } from './maintenance.js';
import { migrate } from './migrator.js';
import { logger } from '../logging/logger.js';

export const DEMO_TENANT = 'demo';

/** Applies the migrations; an empty embedded database gets the demo data set. */
export async function prepareDatabase(db: Database): Promise<void> {
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ migrations: applied }, `Applied migrations: ${applied.join(', ')}`);
  if (db.kind === 'embedded' && (await db.prisma.campaign.count()) === 0) {
    logger.info('Empty embedded database: loading the demo data set (one month of three campaigns)…');
    logger.info(formatSummary(await importNdjson(db, demoLines({ tenantId: DEMO_TENANT }))));
    await vacuumAnalyze(db);
  }
}

/**
 * Creates and prepares the embedded database of `dataDir` if it does not exist yet, in a process
 * of its own (./prepare-cli.ts). Creating a PGlite database and loading the demo data into it leave
 * some 150 MB of memory that PGlite and the C allocator never hand back; a process that ends does,
 * so the gateway that opens the database afterwards idles as small as after a restart.
 */
export async function createEmbeddedDatabase(dataDir: string): Promise<void> {
  if (fs.existsSync(path.join(embeddedStorage(dataDir), 'PG_VERSION'))) return;
  // The same kind of file as this one: .js when compiled, .ts under tsx (whose loader execArgv carries).
  const script = fileURLToPath(new URL(`./prepare-cli${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script], { env: { ...process.env, DATA_DIR: dataDir }, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  // The child has said why on stderr.
  if (code !== 0) throw new Error(`Creating the embedded database in ${embeddedStorage(dataDir)} failed`);
}

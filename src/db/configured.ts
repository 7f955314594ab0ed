import type { Config } from '../config.js';
import { openDatabase, type Database } from './client.js';

/**
 * The database the configuration names: PostgreSQL with DATABASE_URL, else PGlite in DATA_DIR.
 * `longStatements` lifts the statement timeout for commands such as the import, whose VACUUM of a
 * large table may take longer than any request should.
 */
export function openConfiguredDatabase(config: Config, { longStatements = false } = {}): Promise<Database> {
  const timeouts = { connectMs: config.databaseTimeoutMs, queryMs: longStatements ? 0 : config.databaseTimeoutMs };
  return openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, timeouts, poolSize: config.databasePoolSize, replicas: config.readReplicas }
      : { kind: 'embedded', dataDir: config.dataDir },
  );
}

import lockfile from 'proper-lockfile';
import { errorField, logger } from '../logging/logger.js';

/** A lock whose holder died lapses after this long (the holder refreshes it every third of it). */
const STALE_MS = 10_000;

/**
 * PGlite is an embedded PostgreSQL in this process: a second process on the same data directory
 * would not see this one's writes, and two writers can corrupt it. proper-lockfile keeps a lock
 * directory beside it, refreshed while we run and released on exit, so a second gateway or import
 * stops with a message instead.
 */
export async function lockEmbeddedDatabase(storage: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(storage, {
      lockfilePath: `${storage}.lock`,
      realpath: false,
      stale: STALE_MS,
      update: STALE_MS / 3,
      onCompromised: (error) => {
        logger.fatal({ storage, error: errorField(error) }, 'The lock on the embedded database was lost; stopping so that two processes never write it.');
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new Error(
      `The embedded database in ${storage} is in use by another process (a running gateway or import). ` +
        `Stop that process first, use another DATA_DIR, or set DATABASE_URL to use PostgreSQL. ` +
        `If that process died, its lock lapses within ${STALE_MS / 1000} seconds.`,
    );
  }
}

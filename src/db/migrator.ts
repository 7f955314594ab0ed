import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// The same lock id and bookkeeping table as `prisma migrate deploy`, so both agree on what ran.
const PRISMA_MIGRATE_LOCK_ID = 72707369;
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies every pending migration, each in its own transaction; returns the names it applied. The
 * lock is taken in each transaction (pg_advisory_xact_lock, the same key prisma migrate deploy holds
 * for its session), not for the session: behind PgBouncer in transaction mode a session lock would
 * stay with whichever server connection took it, and the unlock could go to another.
 */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  const session = await db.session();
  const locked = `BEGIN; SELECT pg_advisory_xact_lock(${PRISMA_MIGRATE_LOCK_ID});`;
  try {
    await session.exec(`${locked}${CREATE_MIGRATIONS_TABLE} COMMIT;`);
    const ran: string[] = [];
    for (const migration of migrations) {
      await session.exec(locked);
      const [applied] = await session.rows<{ checksum: string }>(
        'SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
        [migration.name],
      );
      if (applied) {
        await session.exec('COMMIT');
        if (applied.checksum !== migration.checksum) throw new Error(`Migration ${migration.name} was changed after it was applied`);
        continue;
      }
      // Names and checksums are [0-9a-z_] only, so they are safe to inline in the script.
      await session.exec(`${migration.sql}
;
INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
VALUES ('${randomUUID()}', '${migration.checksum}', now(), '${migration.name}', 1);
COMMIT;`);
      ran.push(migration.name);
    }
    return ran;
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await session.release();
  }
}

import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { createScratchDatabase, dropScratchDatabase } from '../../src/db/server-admin.js';

export interface TestDatabase extends Database {
  /** The PostgreSQL URL of this database; undefined for the in-memory embedded one. */
  url: string | undefined;
  /** Closes the connection and drops the database it made. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server that TEST_DATABASE_URL names (dropped again by dispose()).
 */
export async function openTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let db: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (serverUrl) {
    const name = `autocall_test_${randomBytes(6).toString('hex')}`;
    url = await createScratchDatabase(serverUrl, name);
    db = await openDatabase({ kind: 'postgres', url });
    drop = () => dropScratchDatabase(serverUrl, name);
  } else {
    db = await openDatabase({ kind: 'embedded' });
  }
  if (migrated) await migrate(db);
  return {
    ...db,
    url,
    async dispose() {
      await db.close();
      await drop();
    },
  };
}

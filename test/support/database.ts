import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';

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
    await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = `/${name}`;
    url = databaseUrl.toString();
    db = await openDatabase({ kind: 'postgres', url });
    drop = async () => {
      await withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    };
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

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

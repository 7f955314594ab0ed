import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { canStartPostgres, startPostgresCluster, type PostgresCluster } from '../../src/bench/postgres-cluster.js';
import { PGBOUNCER, startPgBouncer, type PgBouncer } from '../support/pgbouncer.js';

/** The suites of reports (GraphQL and REST), ingest and live pushes: each makes its own database through TEST_DATABASE_URL. */
const SUITES = ['test/api/reports.test.ts', 'test/api/rest.test.ts', 'test/api/rest-sample.test.ts', 'test/api/ingest.test.ts', 'test/api/live.test.ts', 'test/db/schema-drift.test.ts'];

// Behind Debian's PgBouncer in transaction pooling mode (its 1.18 keeps no prepared statement from
// one transaction to the next, and refuses startup settings it does not know): the same suites, run
// by a vitest of their own with TEST_DATABASE_URL pointing through PgBouncer with ?pgbouncer=true.
describe.skipIf(!canStartPostgres || !fs.existsSync(PGBOUNCER))('behind PgBouncer in transaction mode', () => {
  let cluster: PostgresCluster;
  let bouncer: PgBouncer;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    // What the fleet page tells operators to do: the settings the gateway cannot send through PgBouncer, on its role.
    const admin = new pg.Client({ connectionString: cluster.primary.url() });
    await admin.connect();
    await admin.query("ALTER ROLE postgres SET jit = off; ALTER ROLE postgres SET work_mem = '64MB'");
    await admin.end();
    bouncer = await startPgBouncer(cluster.primary.port, { poolSize: 4 });
  }, 60_000);
  afterAll(async () => {
    await bouncer?.stop();
    await cluster?.close();
  });

  it('passes the report, REST, ingest and live suites', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...SUITES], {
      env: { ...env, TEST_DATABASE_URL: bouncer.url(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(output).toMatch(new RegExp(`Test Files\\s+${SUITES.length} passed`));
    expect(code, output.slice(-4000)).toBe(0);
  }, 600_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const MIGRATIONS = [
  '20261202000000_disposition_talk_rollups',
  '20261202040000_talk_seconds_per_bucket',
  '20261206000000_bucket_talk_table',
  '20261207110000_talk_histograms',
];

// A database imported before these migrations has no 'disposition' or 'talk' rollups: the first
// builds them from the calls, in quarter hours and days, the second moves the quarter hours' talk
// seconds into call_bucket.talk_secs, the third into a table of their own, call_bucket_talk, and the
// fourth makes each quarter hour's a histogram. The reports read from them are as after a fresh import.
describe(`migrations ${MIGRATIONS.join(' and ')}`, () => {
  let kit: Testkit;
  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE);
  });
  afterAll(() => kit.close());

  const QUERY = `{ campaign(id: "5") {
    kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { talkTimePercentiles { p50 p90 p95 p99 } }
    dispositions(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { totalDisposed byDisposition { disposition count pct } }
    quarters: kpis(from: "2026-06-01T01:45:00Z", to: "2026-06-02T17:45:00Z") { talkTimePercentiles { p50 p99 } }
    quarterDispositions: dispositions(from: "2026-06-01T01:45:00Z", to: "2026-06-02T17:45:00Z") { totalDisposed }
  } }`;

  it('backfills both dimensions, in quarter hours and days, from the calls already imported', async () => {
    const imported = await kit.data(QUERY);
    expect(imported.campaign.dispositions.totalDisposed).toBeGreaterThan(0);
    expect(imported.campaign.kpis.talkTimePercentiles.p50).not.toBeNull();
    // Whole quarter hours of partial days, read from call_bucket and call_bucket_key rather than call_day_key.
    expect(imported.campaign.quarters.talkTimePercentiles).toEqual({ p50: 42, p99: 61 });
    expect(imported.campaign.quarterDispositions.totalDisposed).toBe(1);

    // As the database was before the migrations: no 'disposition' or 'talk' rollups, no talk_secs.
    const sql = (statement: string) => kit.db.prisma.$executeRawUnsafe(statement);
    await sql(`DELETE FROM call_day_key WHERE dimension IN ('disposition', 'talk')`);
    await sql(`DELETE FROM call_bucket_key WHERE dimension = 'disposition'`);
    await sql('DROP TABLE call_bucket_talk');
    await sql('DROP FUNCTION talk_histogram_plus');
    await sql(`DELETE FROM "_prisma_migrations" WHERE migration_name IN (${MIGRATIONS.map((name) => `'${name}'`).join(', ')})`);
    const count = async (table: string, dimension: string) =>
      (await kit.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE dimension = '${dimension}'`))[0]!.n;
    expect(await count('call_bucket_key', 'talk')).toBe(0);

    expect(await migrate(kit.db)).toEqual(MIGRATIONS);
    expect(await kit.data(QUERY)).toEqual(imported);
    expect(await count('call_bucket_key', 'disposition')).toBeGreaterThan(0);
    expect(await count('call_day_key', 'disposition')).toBeGreaterThan(0);
    expect(await count('call_day_key', 'talk')).toBeGreaterThan(0);
    expect(await count('call_bucket_key', 'talk')).toBe(0);
    const [talk] = await kit.db.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT sum(n)::int AS n FROM call_bucket_talk, unnest(talk_counts) AS n');
    const [answered] = await kit.db.prisma.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM call_attempt WHERE result = 'answered'");
    expect(talk!.n).toBe(answered!.n);
  });
});

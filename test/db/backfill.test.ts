import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const MIGRATION = '20261202000000_disposition_talk_rollups';

// A database imported before this migration has no 'disposition' or 'talk' rollups: the migration
// builds them from the calls, so the reports read from them are the same as after a fresh import.
describe(`migration ${MIGRATION}`, () => {
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
    // Whole quarter hours of partial days, read from call_bucket_key rather than call_day_key.
    expect(imported.campaign.quarters.talkTimePercentiles).toEqual({ p50: 42, p99: 61 });
    expect(imported.campaign.quarterDispositions.totalDisposed).toBe(1);

    // As the database was before the migration.
    await kit.db.prisma.$executeRawUnsafe(`DELETE FROM call_bucket_key WHERE dimension IN ('disposition', 'talk')`);
    await kit.db.prisma.$executeRawUnsafe(`DELETE FROM call_day_key WHERE dimension IN ('disposition', 'talk')`);
    await kit.db.prisma.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE migration_name = '${MIGRATION}'`);
    const before = await kit.data(QUERY);
    expect(before.campaign.dispositions.totalDisposed).toBe(0);

    expect(await migrate(kit.db)).toEqual([MIGRATION]);
    expect(await kit.data(QUERY)).toEqual(imported);
    const count = (table: string) =>
      kit.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE dimension IN ('disposition', 'talk')`);
    expect((await count('call_bucket_key'))[0]!.n).toBeGreaterThan(0);
    expect((await count('call_day_key'))[0]!.n).toBeGreaterThan(0);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { createScratchDatabase, dropScratchDatabase } from '../../src/db/server-admin.js';
import { importNdjson } from '../../src/import/importer.js';
import { removeCallsBefore } from '../../src/retention/remove-calls.js';
import { runCli } from '../support/cli.js';
import { call } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

/** Every report of campaign 5 over windows whose bounds are whole quarter hours: the rollups answer them. */
const ROLLUP_REPORTS = `{
  campaign(id: "5") {
    firstCallAt lastCallAt
    kpis { dialed answered noAnswer busy failed abandoned answerRatePct avgCallDurationSec totalLeads talkTimePercentiles { p50 p90 p95 p99 } }
    june: kpis(from: "2026-06-01T00:00:00Z", to: "2026-06-03T00:00:00Z") { dialed answered talkTimePercentiles { p50 p90 } dtmfDistribution { key count } }
    quarter: kpis(from: "2026-06-01T02:15:00Z", to: "2026-06-02T03:45:00Z", timezone: "Asia/Kathmandu") { dialed answered busy }
    trend(from: "2026-06-01", to: "2026-06-07", granularity: DAY) { bucket dialed answered }
    hours: trend(from: "2026-06-01", to: "2026-06-03", granularity: HOUR) { bucket dialed }
    heatmap(metric: DIALED) { dayOfWeek hour dialed answered }
    hangup { totalCalls byHangupCause { hangupCause count pct } }
    dtmf(from: "2026-06-01T00:00:00Z", to: "2026-06-04T00:00:00Z") { byDigit { digit count } noInput }
    funnel { stage count dropRatePct }
    late: funnel(from: "2026-06-03T00:00:00Z", to: "2026-06-07T00:00:00Z") { stage count }
  }
}`;

// Retention: campaign 5's calls before June 3 (C-1 to C-5, of June 1 02:00 to June 2 17:30) are
// removed; its rollups go on counting them.
describe('retention: removing old raw calls', () => {
  let kit: Testkit;
  let before: Record<string, unknown>;
  const rawCalls = async (campaignId: number) =>
    Number((await kit.db.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM call_attempt WHERE campaign_id = $1', campaignId))[0]!.n);

  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE);
    before = await kit.data(ROLLUP_REPORTS);
    const removals = await removeCallsBefore(kit.db, { before: new Date('2026-06-03T00:00:00Z'), campaignIds: [5], graceMs: 0 });
    expect(removals).toEqual([{ campaignId: 5, removed: 5, before: new Date('2026-06-03T00:00:00Z') }]);
  });
  afterAll(() => kit?.close());

  it('keeps every rollup-backed report exact, and the campaign\'s first call', async () => {
    expect(await rawCalls(5)).toBe(5);
    expect(await rawCalls(20)).toBe(4);
    const after = await kit.data(ROLLUP_REPORTS);
    expect(after).toEqual(before);
    // Worked out by hand (report tests): the answers are the whole campaign's, not the kept calls'.
    expect(after.campaign).toMatchObject({
      firstCallAt: '2026-06-01T02:00:00.000Z',
      lastCallAt: '2026-06-06T02:00:00.000Z',
      kpis: { dialed: 10, answered: 6 },
      june: { dialed: 5, answered: 3 },
    });
  });

  it('refuses, naming the argument, a report that would read removed raw calls', async () => {
    const refused = await kit.execute('{ campaign(id: "5") { kpis(from: "2026-06-01T02:10:00Z", to: "2026-06-04T00:00:00Z") { dialed } } }');
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0]).toMatchObject({
      message:
        'Argument "from" needs campaign 5\'s raw calls started from 2026-06-01T02:10:00.000Z to 2026-06-01T02:15:00.000Z, and its calls started before ' +
        '2026-06-03T00:00:00.000Z were removed (retention). Reports over whole quarter hours still answer from the rollups: use bounds on :00, :15, :30 or :45.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'from' },
    });
    const to = await kit.execute('{ campaign(id: "5") { hangup(from: "2026-06-01T00:00:00Z", to: "2026-06-02T10:05:00Z") { totalCalls } } }');
    expect(to.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'to' });
    // A funnel over a window retention cut into: neither the calls inside it nor those after it are whole.
    const funnel = await kit.execute('{ campaign(id: "5") { funnel(from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z") { count } } }');
    expect(funnel.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'from' });
    // Its leads are no calls: the same window's totalLeads still answers, from the lead table and its rollups.
    const leads = await kit.db.prisma.lead.count({ where: { campaignId: 5, importedAt: { lt: new Date('2026-06-04T00:00:00Z') } } });
    expect(leads).toBeGreaterThan(0);
    expect(await kit.data('{ campaign(id: "5") { kpis(from: "2026-06-01T02:10:00Z", to: "2026-06-04T00:00:00Z") { totalLeads } } }')).toEqual({
      campaign: { kpis: { totalLeads: leads } },
    });
    // Within a quarter hour after the cutoff, the raw calls are there.
    expect(await kit.data('{ campaign(id: "5") { kpis(from: "2026-06-03T01:50:00Z", to: "2026-06-05T01:10:00Z") { dialed answered } } }')).toEqual({
      campaign: { kpis: { dialed: 3, answered: 2 } },
    });
    // Another campaign is untouched.
    expect(await kit.data('{ campaign(id: "20") { kpis(from: "2026-11-01T05:40:00Z", to: "2026-11-01T06:40:00Z") { dialed } } }')).toEqual({
      campaign: { kpis: { dialed: 1 } },
    });
  });

  it('refuses calls before the cutoff at ingest, a removed one sent again included', async () => {
    const token = await kit.token({ permissions: [PERMISSIONS.ingest] });
    const post = (...records: object[]) =>
      fetch(kit.url.replace('/graphql', '/ingest'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
        body: records.map((record) => JSON.stringify(record)).join('\n'),
      });
    const again = await post(call('C-1', 5, 'L-1', { started_at: '2026-06-01T02:00:00Z', answered_at: '2026-06-01T02:00:09Z', ended_at: '2026-06-01T02:00:51Z' }));
    expect(again.status).toBe(422);
    expect((await again.json()).rejected).toEqual([
      { line: 1, type: 'call', reason: 'call "C-1" started before 2026-06-03T00:00:00.000Z, and campaign 5\'s calls before then were removed (retention): it cannot be written' },
    ]);
    const late = await post(call('C-11', 5, 'L-1', { started_at: '2026-06-08T02:00:00Z', answered_at: '2026-06-08T02:00:09Z', ended_at: '2026-06-08T02:00:51Z' }));
    expect(late.status).toBe(200);
    expect(await rawCalls(5)).toBe(6);
    expect(await kit.data('{ campaign(id: "5") { kpis { dialed } } }')).toEqual({ campaign: { kpis: { dialed: 11 } } });
  });

  it('refuses a FULL export whose call list would miss removed calls; the reports alone still export', async () => {
    const token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    const exportOf = (input: string) => kit.execute(`mutation { exportReport(input: { campaignId: "5", ${input} }) { id status } }`, { token });
    const full = await exportOf('reportType: FULL, from: "2026-06-01", to: "2026-06-07", timezone: "UTC"');
    expect(full.errors?.[0]).toMatchObject({
      message: expect.stringContaining('A FULL export lists every call: export days from 2026-06-03 on, or the reports alone'),
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'from' },
    });
    expect((await exportOf('reportType: FULL, from: "2026-06-03", to: "2026-06-07", timezone: "UTC"')).data).toMatchObject({ exportReport: { status: 'QUEUED' } });
    expect((await exportOf('reportType: KPIS, from: "2026-06-01", to: "2026-06-07", timezone: "UTC"')).data).toMatchObject({ exportReport: { status: 'QUEUED' } });
    await kit.app.worker.idle();
    const jobs = await kit.db.prisma.exportJob.findMany({ where: { campaignId: 5 }, select: { reportType: true, status: true, error: true } });
    expect(jobs.map(({ reportType, status, error }) => [reportType, status, error])).toEqual(
      expect.arrayContaining([
        ['full', 'ready', null],
        ['kpis', 'ready', null],
      ]),
    );
  });

  it('never moves the cutoff back', async () => {
    const [removal] = await removeCallsBefore(kit.db, { before: new Date('2026-06-02T00:00:00Z'), campaignIds: [5], graceMs: 0 });
    expect(removal).toEqual({ campaignId: 5, removed: 0, before: new Date('2026-06-03T00:00:00Z') });
    await expect(removeCallsBefore(kit.db, { before: new Date(Date.now() + 60_000), graceMs: 0 })).rejects.toThrow(/is in the future/);
    await expect(removeCallsBefore(kit.db, { before: new Date('2026-06-02T00:00:00Z'), campaignIds: [5, 99], graceMs: 0 })).rejects.toThrow('no campaign 99: nothing was removed');
  });
});

// npm run retention, as an operator runs it, on a database of its own (embedded in a DATA_DIR, or a
// scratch PostgreSQL database in the PostgreSQL pass).
describe('npm run retention', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-retention-'));
  const scratch = `autocall_retention_${process.pid}`;
  let env: Record<string, string>;
  const open = () => openDatabase(env.DATA_DIR ? { kind: 'embedded', dataDir: env.DATA_DIR } : { kind: 'postgres', url: env.DATABASE_URL! });
  beforeAll(async () => {
    env = process.env.TEST_DATABASE_URL
      ? { DATABASE_URL: await createScratchDatabase(process.env.TEST_DATABASE_URL, scratch), AUTH_JWT_SECRET: 'x'.repeat(32) }
      : { DATABASE_URL: '', DATA_DIR: dir };
    const db = await open();
    try {
      await migrate(db);
      await importNdjson(db, (async function* () { yield* REPORT_FIXTURE; })());
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    if (process.env.TEST_DATABASE_URL) await dropScratchDatabase(process.env.TEST_DATABASE_URL, scratch);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const retention = (...args: string[]) => runCli('src/retention/cli.ts', args, env);

  it('removes the raw calls before a date, of one tenant, and says what it did; bad arguments get usage', async () => {
    const missing = await retention('--campaign', '5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^retention: --before is required\nusage: npm run retention/);
    const notDate = await retention('--before', '2026-06-31x');
    expect(notDate.code).toBe(2);
    expect(notDate.stderr).toContain('--before "2026-06-31x": not a date (YYYY-MM-DD) or an instant with its offset');
    const unknown = await retention('--before', '2026-06-03', '--campaign', '99', '--grace-seconds', '0');
    expect(unknown).toMatchObject({ code: 1, stderr: 'retention: no campaign 99: nothing was removed\n' });

    const done = await retention('--before', '2026-06-03', '--tenant', 'acme', '--grace-seconds', '0');
    expect(done.stdout).toBe('removed 6 raw calls of 3 campaign(s) started before 2026-06-03T00:00:00.000Z; their rollups keep counting them\n');
    expect(done.stderr).toContain('campaign 5: 5 calls started before 2026-06-03T00:00:00.000Z removed');
    expect(done.code).toBe(0);
    const db = await open();
    try {
      const left = await db.prisma.$queryRawUnsafe<{ campaign_id: number; n: number }[]>('SELECT campaign_id, count(*)::int AS n FROM call_attempt GROUP BY campaign_id ORDER BY campaign_id');
      // Campaign 20 loses its call of March, keeping November's; globex's campaign 12 is another tenant's.
      expect(left).toEqual([
        { campaign_id: 5, n: 5 },
        { campaign_id: 12, n: 1 },
        { campaign_id: 20, n: 3 },
      ]);
      const campaigns = await db.prisma.campaign.findMany({ orderBy: { id: 'asc' }, select: { id: true, callsRemovedFirst: true, callsRemovedLast: true, callsRemovedBefore: true } });
      expect(campaigns).toEqual([
        { id: 5, callsRemovedFirst: new Date('2026-06-01T02:00:00Z'), callsRemovedLast: new Date('2026-06-02T17:30:00Z'), callsRemovedBefore: new Date('2026-06-03T00:00:00Z') },
        { id: 8, callsRemovedFirst: null, callsRemovedLast: null, callsRemovedBefore: new Date('2026-06-03T00:00:00Z') },
        { id: 12, callsRemovedFirst: null, callsRemovedLast: null, callsRemovedBefore: null },
        { id: 20, callsRemovedFirst: new Date('2026-03-08T07:30:00Z'), callsRemovedLast: new Date('2026-03-08T07:30:00Z'), callsRemovedBefore: new Date('2026-06-03T00:00:00Z') },
      ]);
    } finally {
      await db.close();
    }
  });
});

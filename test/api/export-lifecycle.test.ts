import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../../src/exports/jobs.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { readSse } from '../support/sse.js';
import { createTestkit, ndjson, type Testkit } from '../support/testkit.js';
import type { LocalExportStore } from '../../src/exports/local-store.js';

/** Calls of campaign 40, enough that a FULL export runs for seconds: time to cancel it mid-way. */
const BIG_CAMPAIGN_CALLS = 60_000;

let kit: Testkit;
let exporter: string;
beforeAll(async () => {
  kit = await createTestkit(ndjson(campaign(5, 'Renewal Q3'), campaign(40, 'Big'), lead('L-1', 5), lead('L-40', 40), call('C-1', 5, 'L-1')));
  // Written straight into the table: the Calls sheet reads the raw rows, and the import would take long.
  await kit.db.prisma.$executeRawUnsafe(
    `INSERT INTO call_attempt (id, campaign_id, lead_id, started_at, ended_at, result, billsec, hangup_cause)
     SELECT 'B-' || n, 40, 'L-40', TIMESTAMPTZ '2026-06-01 00:00:00+00' + n * INTERVAL '10 seconds',
       TIMESTAMPTZ '2026-06-01 00:00:30+00' + n * INTERVAL '10 seconds', 'answered', 30, 'NORMAL_CLEARING'
     FROM generate_series(1, ${BIG_CAMPAIGN_CALLS}) AS n`,
  );
  exporter = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
}, 120_000);
afterAll(() => kit.close());

const JOB_FIELDS = 'id status progressPct downloadUrl expiresInSeconds completedAt';
const EXPORT = `mutation ($input: ExportReportInput!) { exportReport(input: $input) { ${JOB_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!) { cancelExport(id: $id) { ${JOB_FIELDS} } }`;
const RENEW = `mutation ($id: ID!) { renewExportLink(id: $id) { ${JOB_FIELDS} } }`;
const JOB = `query ($id: ID!) { exportJob(id: $id) { ${JOB_FIELDS} } }`;

const run = async (query: string, variables: Record<string, unknown>, token = exporter) => kit.execute<any>(query, { variables, token });
const stored = (id: string) => kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id } });

async function exportAndWait(input: Record<string, unknown>) {
  const started = await run(EXPORT, { input });
  await kit.app.worker.idle();
  return (await run(JOB, { id: started.data.exportReport.id })).data.exportJob;
}

describe('Mutation.cancelExport', () => {
  it('stops a running export within 2 s, removes its file and tells subscribers CANCELED, then ends', async () => {
    const started = (await run(EXPORT, { input: { campaignId: '40', reportType: 'FULL', format: 'CSV', from: '2026-06-01', to: '2026-06-30' } })).data.exportReport;
    const controller = new AbortController();
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${exporter}` },
      body: JSON.stringify({ query: `subscription ($id: ID!) { exportJobUpdated(id: $id) { status progressPct } }`, variables: { id: started.id } }),
      signal: controller.signal,
    });
    const pushes: { status: string; progressPct: string }[] = [];
    const ended = readSse(response, (event) => pushes.push(event.data.exportJobUpdated));

    // Cancel once the worker has written some of the calls.
    await expect.poll(async () => (await stored(started.id)).progressPct, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(10);
    const running = await stored(started.id);
    expect(running.status).toBe('running');
    const canceledAt = Date.now();
    const canceled = await run(CANCEL, { id: started.id });
    expect(canceled.errors).toBeUndefined();
    expect(canceled.data.cancelExport).toMatchObject({ id: started.id, status: 'CANCELED', downloadUrl: null });
    expect(canceled.data.cancelExport.completedAt).not.toBeNull();

    await kit.app.worker.idle();
    expect(Date.now() - canceledAt).toBeLessThan(2_000);
    const after = await stored(started.id);
    expect(after).toMatchObject({ status: 'canceled', filePath: null, claimId: null });
    expect(after.progressPct).toBeLessThan(100);
    // The worker's partial file is gone: nothing of this job is left in the exports directory.
    const exportsDir = (kit.app.worker['store'] as LocalExportStore)['dir'];
    expect(fs.readdirSync(exportsDir).filter((name) => name.startsWith(started.id))).toEqual([]);

    await ended;
    expect(pushes.at(-1)).toEqual({ status: 'CANCELED', progressPct: after.progressPct + '.00' });
    expect(pushes.map((push) => push.status)).toContain('RUNNING');
    controller.abort();
  });

  it('cancels a queued job, which no worker then runs', async () => {
    const job = await createJob(kit.db.prisma, {
      tenantId: 'acme', campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 2,
    });
    expect((await run(CANCEL, { id: job.id })).data.cancelExport.status).toBe('CANCELED');
    await kit.app.worker.enqueue(job.id);
    await kit.app.worker.idle();
    expect(await stored(job.id)).toMatchObject({ status: 'canceled', filePath: null });
  });

  it('refuses a job that has ended, another tenant\'s, and callers without autocall_export_report', async () => {
    const ready = await exportAndWait({ campaignId: '5', reportType: 'KPIS', format: 'CSV' });
    expect(ready.status).toBe('READY');
    const again = await run(CANCEL, { id: ready.id });
    expect(again.errors?.[0]).toMatchObject({
      message: 'Argument "id" names a job that has already ended (READY): only a QUEUED or RUNNING job can be canceled',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
    });
    const globex = await kit.token({ tenantId: 'globex', permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    expect((await run(CANCEL, { id: ready.id }, globex)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
    expect((await run(CANCEL, { id: ready.id }, await kit.token())).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stored(ready.id)).status).toBe('ready');
  });
});

describe('Mutation.renewExportLink', () => {
  it('gives a READY or EXPIRED job a fresh hour while its file is kept, then asks to export again', async () => {
    const ready = await exportAndWait({ campaignId: '5', reportType: 'DTMF', format: 'CSV' });
    const { filePath, completedAt } = await stored(ready.id);

    // The link lapses: the job reads EXPIRED, the sweeper keeps the file.
    await kit.db.prisma.exportJob.update({ where: { id: ready.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await fetch(ready.downloadUrl)).status).toBe(403);
    await kit.app.worker.sweep();
    expect(await stored(ready.id)).toMatchObject({ status: 'expired', filePath });
    expect(fs.existsSync(filePath!)).toBe(true);

    const renewed = (await run(RENEW, { id: ready.id })).data.renewExportLink;
    expect(renewed).toMatchObject({ id: ready.id, status: 'READY' });
    expect(renewed.expiresInSeconds).toBeGreaterThan(3_590);
    expect(renewed.expiresInSeconds).toBeLessThanOrEqual(3_600);
    const download = await fetch(renewed.downloadUrl);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('no_input');

    // 24 hours after it was written the sweeper deletes the file, and renewing is refused.
    await kit.db.prisma.exportJob.update({ where: { id: ready.id }, data: { completedAt: new Date(completedAt!.getTime() - 24 * 3_600_000) } });
    await kit.app.worker.sweep();
    expect(await stored(ready.id)).toMatchObject({ status: 'expired', filePath: null });
    expect(fs.existsSync(filePath!)).toBe(false);
    expect((await run(RENEW, { id: ready.id })).errors?.[0]).toMatchObject({
      message: 'Argument "id" names a job whose file is no longer kept (files are kept 24 hours): export again',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
    });
  });

  it('refuses a job without a file, another tenant\'s, and callers without autocall_export_report', async () => {
    const job = await createJob(kit.db.prisma, {
      tenantId: 'acme', campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 2,
    });
    await run(CANCEL, { id: job.id });
    expect((await run(RENEW, { id: job.id })).errors?.[0]).toMatchObject({
      message: 'Argument "id" names a CANCELED job: only a READY or EXPIRED job has a link to renew',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
    });
    const ready = await exportAndWait({ campaignId: '5', reportType: 'KPIS', format: 'CSV' });
    const globex = await kit.token({ tenantId: 'globex', permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    expect((await run(RENEW, { id: ready.id }, globex)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await run(RENEW, { id: ready.id }, await kit.token())).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

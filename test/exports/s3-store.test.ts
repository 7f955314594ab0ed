import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from 'graphql-yoga';
import { createJob } from '../../src/exports/jobs.js';
import { S3ExportStore } from '../../src/exports/s3-store.js';
import { ExportWorker } from '../../src/exports/worker.js';
import { buildApp } from '../../src/server/app.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import type { Topics } from '../../src/events/pubsub.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { S3_KEYS, startS3Server, type S3Server } from '../../src/bench/s3-server.js';
import { createTestkit, jwtKey, type Testkit } from '../support/testkit.js';

const BUCKET = 'exports';
const store = (prefix: string, bucket = BUCKET) => new S3ExportStore({ kind: 's3', bucket, prefix, region: 'us-east-1', forcePathStyle: true });

// The S3 store against a real S3-protocol server (s3rver): the AWS SDK reads the endpoint and keys
// from the environment, as a deployment gives them.
let s3: S3Server;
let kit: Testkit;
let exporter: string;
const saved = { ...process.env };
beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  Object.assign(process.env, S3_KEYS, { AWS_ENDPOINT_URL: s3.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  kit = await createTestkit(REPORT_FIXTURE, { exportStore: store('lifecycle/') });
  exporter = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
});
afterAll(async () => {
  await kit?.close();
  await s3?.stop();
  process.env = saved;
});

const EXPORT = 'mutation ($input: ExportReportInput!) { exportReport(input: $input) { id } }';
const JOB = 'query ($id: ID!) { exportJob(id: $id) { id status downloadUrl fileSize error } }';
const RENEW = 'mutation ($id: ID!) { renewExportLink(id: $id) { status downloadUrl } }';
const kpisJob = { tenantId: 'acme', campaignId: 5, reportType: 'kpis' as const, format: 'csv' as const, fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 1 };

async function run(query: string, variables: Record<string, unknown>) {
  const response = await kit.execute(query, { variables, token: exporter });
  expect(response.errors).toBeUndefined();
  return response.data as any;
}

describe('exports in an S3 bucket', () => {
  it('stores the file as an object, answers the link with a 302 to a presigned GET, keeps it for renewExportLink and deletes it after 24 hours', async () => {
    const { exportReport } = await run(EXPORT, { input: { campaignId: '5', reportType: 'KPIS', format: 'CSV', from: '2026-06-01', to: '2026-06-30' } });
    await kit.app.worker.idle();
    const { exportJob } = await run(JOB, { id: exportReport.id });
    expect(exportJob).toMatchObject({ status: 'READY', error: null });
    const stored = await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: exportReport.id } });
    expect(stored.filePath).toMatch(new RegExp(`^s3://${BUCKET}/lifecycle/${exportReport.id}-[0-9a-f]{8}\\.csv$`));
    expect(s3.keys(BUCKET)).toEqual([stored.filePath!.slice(`s3://${BUCKET}/`.length)]);

    const redirect = await fetch(exportJob.downloadUrl, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('private, no-store');
    const followed = await fetch(exportJob.downloadUrl);
    expect(followed.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(followed.headers.get('content-disposition')).toBe('attachment; filename="renewal-q3_kpis_2026-06-01_2026-06-30.csv"');
    const bytes = Buffer.from(await followed.arrayBuffer());
    // A byte order mark, so Excel reads the labels as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.length).toBe(exportJob.fileSize);

    // The link lapses: EXPIRED, the object kept; renewed, the same object is served again.
    await kit.db.prisma.exportJob.update({ where: { id: exportReport.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await fetch(exportJob.downloadUrl, { redirect: 'manual' })).status).toBe(403);
    await kit.app.worker.sweep();
    expect(s3.keys(BUCKET)).toHaveLength(1);
    const { renewExportLink } = await run(RENEW, { id: exportReport.id });
    expect(renewExportLink.status).toBe('READY');
    expect(Buffer.from(await (await fetch(renewExportLink.downloadUrl)).arrayBuffer()).equals(bytes)).toBe(true);

    // A day after it was written the sweep deletes the object; a link to an object gone is a 403.
    await kit.db.prisma.exportJob.update({ where: { id: exportReport.id }, data: { completedAt: new Date(stored.completedAt!.getTime() - 24 * 3_600_000) } });
    await kit.app.worker.sweep();
    expect(s3.keys(BUCKET)).toEqual([]);
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: exportReport.id } })).toMatchObject({ status: 'expired', filePath: null });
  });

  it('sweeps the objects under its prefix that neither a READY job nor a live claim owns, and nothing else', async () => {
    const failed = await createJob(kit.db.prisma, kpisJob);
    await kit.db.prisma.exportJob.update({ where: { id: failed.id }, data: { status: 'failed' } });
    const running = await createJob(kit.db.prisma, kpisJob);
    await kit.db.prisma.exportJob.update({
      where: { id: running.id },
      data: { status: 'running', claimId: 'bbbbbbbb-0000-4000-8000-000000000000', leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    const swept = store('sweep/');
    const put = async (prefix: string, name: string) => {
      const file = (prefix === 'sweep/' ? swept : store(prefix)).create(name);
      file.stream.end('x');
      await file.done();
    };
    await put('sweep/', `${failed.id}-aaaaaaaa.csv`);
    await put('sweep/', `${running.id}-cccccccc.csv`);
    await put('sweep/', `${running.id}-bbbbbbbb.csv`);
    await put('sweep/', 'README.txt');
    await put('elsewhere/', `${failed.id}-aaaaaaaa.csv`);
    await new ExportWorker(kit.db, createPubSub<Topics>(), swept).sweep();
    expect(s3.keys(BUCKET)).toEqual([`elsewhere/${failed.id}-aaaaaaaa.csv`, 'sweep/README.txt', `sweep/${running.id}-bbbbbbbb.csv`]);
    await kit.db.prisma.exportJob.update({ where: { id: running.id }, data: { status: 'failed' } });
    for (const { location } of [...(await swept.list()), ...(await store('elsewhere/').list())]) await swept.remove(location);
  });

  it('leaves nothing behind when a file is given up after some of its parts were uploaded', async () => {
    const file = store('given-up/').create('export_00000000-aaaaaaaa.xlsx');
    // 12 MB: two 5 MB parts go up as multipart parts before the rest is given up.
    for (let n = 0; n < 12; n += 1) {
      if (!file.stream.write(Buffer.alloc(1024 * 1024, n))) await new Promise((resolve) => file.stream.once('drain', resolve));
    }
    await expect.poll(() => s3.uploadedParts(BUCKET), { timeout: 10_000 }).toBeGreaterThan(0);
    await file.abort();
    // A multipart upload never completed is no object (the upload is aborted too, which s3rver ignores).
    await expect(file.done()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(s3.keys(BUCKET)).toEqual([]);
  });

  it('ends a job FAILED with the storage error, and no object, when the bucket cannot be written', async () => {
    const app = buildApp({ db: kit.db, jwtKey, exportStore: store('x/', 'no-such-bucket') });
    const job = await createJob(kit.db.prisma, kpisJob);
    await app.worker.enqueue(job.id);
    await app.worker.idle();
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'failed',
      filePath: null,
      error: 'Export failed: could not store the export file (NoSuchBucket)',
    });
    expect(s3.keys(BUCKET)).toEqual([]);
    await app.stop();
  });
});

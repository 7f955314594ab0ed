import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { createJob } from '../exports/jobs.js';
import { ExportWorker } from '../exports/worker.js';
import { createTopics } from '../events/pubsub.js';
import { createExportStore } from '../exports/store.js';
import { exportStorage } from '../config.js';

// Run by npm run bench in a process of its own, so the peak RSS it prints is the export's alone:
// a FULL export of campaign 5 of the database at DATABASE_URL, xlsx or as BENCH_EXPORT_FORMAT says
// (csv: a zip of CSV files), into a directory of its own or the bucket EXPORT_STORAGE_URL names.
const db = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL! });
const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-bench-export-'));
const { pubsub } = createTopics();
const storage = exportStorage(process.env.EXPORT_STORAGE_URL, exportsDir, process.env);
const worker = new ExportWorker(db, pubsub, createExportStore(storage));
const format = process.env.BENCH_EXPORT_FORMAT === 'csv' ? 'csv' : 'xlsx';
const campaign = await db.prisma.campaign.findUniqueOrThrow({ where: { id: 5 } });
const job = await createJob(db.prisma, {
  tenantId: campaign.tenantId, campaignId: 5, reportType: 'full', format, fromDate: '2026-06-01', toDate: '2026-06-30',
  timezone: 'Asia/Ho_Chi_Minh', estimatedSeconds: 0,
});
const baseline = process.memoryUsage();
let peak = baseline;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak.rss) peak = now;
}, 50);
const start = performance.now();
await worker.enqueue(job.id);
await worker.idle();
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
const done = await db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
// The window's calls in Asia/Ho_Chi_Minh (UTC+07:00), what the Calls sheets hold.
const calls = await db.prisma.callAttempt.count({
  where: { campaignId: 5, startedAt: { gte: new Date('2026-05-31T17:00:00Z'), lt: new Date('2026-06-30T17:00:00Z') } },
});
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
console.log(
  `export into ${storage.kind === 's3' ? 'an S3 bucket (s3rver)' : 'a local directory'}: FULL ${format} of ${calls} calls (${((seconds / calls) * 1e6).toFixed(1)} s per million): ${done.status} in ${seconds.toFixed(1)} s, file ${mb(done.fileSize ?? 0)}; ` +
    `peak RSS ${mb(peak.rss)} (JS heap ${mb(peak.heapUsed)} of ${mb(peak.heapTotal)}, external ${mb(peak.external)}, buffers ${mb(peak.arrayBuffers)}), ${mb(baseline.rss)} before it started`,
);
fs.rmSync(exportsDir, { recursive: true, force: true });
await db.close();

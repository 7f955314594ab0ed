import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { openDatabase } from '../db/client.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { migrate } from '../db/migrator.js';
import { demoLines } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { BENCH_SECRET, startGateway, type GatewayProcess } from './gateway-process.js';
import { startPostgresCluster } from './postgres-cluster.js';

/** Leads of the data set the replica figure imports into a primary of its own: about 310,000 calls. */
const REPLICA_LEADS = Number(process.env.BENCH_REPLICA_LEADS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

/** A month window ending `run` seconds before July: new arguments every run. */
const month = (run: number) => `from: "2026-06-01T00:00:00+07:00", to: "${new Date(Date.UTC(2026, 5, 30, 17) - run * 1000).toISOString()}"`;

/** The reports timed, campaign 5, cold: each run's window is new. */
const REPORTS: [string, (run: number) => string][] = [
  ['kpis', (run) => `{ campaign(id: "5") { kpis(${month(run)}) { dialed answered answerRatePct avgCallDurationSec } } }`],
  ['heatmap', (run) => `{ campaign(id: "5") { heatmap(metric: ANSWER_RATE_PCT, ${month(run)}) { dayOfWeek hour value } } }`],
  ['hangup', (run) => `{ campaign(id: "5") { hangup(${month(run)}) { totalCalls byHangupCause { hangupCause count } } } }`],
];

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] ?? NaN;

async function client(gateway: GatewayProcess) {
  const token = await signToken(secretKey(BENCH_SECRET), { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
  return async (query: string, variables?: object) => {
    const start = performance.now();
    const response = await fetch(`${gateway.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (body.errors || response.status !== 200) throw new Error(`${query.slice(0, 60)} failed: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - start, data: body.data };
  };
}

/** Runs `{ __typename }` and the reports in turns while `going()` holds (at least `minRuns` rounds); each one's times. */
async function probe(post: Awaited<ReturnType<typeof client>>, going: () => boolean, first: number, minRuns = 0) {
  const times = [[], ...REPORTS.map(() => [])] as number[][];
  for (let run = first; going() || run - first < minRuns; run += 1) {
    times[0]!.push((await post('{ __typename }')).ms);
    for (const [index, [, query]] of REPORTS.entries()) times[index + 1]!.push((await post(query(run))).ms);
  }
  return times;
}

const row = (name: string, ...values: (number | string)[]) =>
  console.log(`${name.padEnd(22)} ${values.map((value) => (typeof value === 'number' ? value.toFixed(1) : value).padStart(14)).join(' ')}`);

/**
 * Issue 33's question: what a FULL xlsx export of about 1,000,000 calls does to the reports of the
 * gateway beside it, (a) run by that gateway's own process, (b) by a worker process (npm run worker,
 * the gateway started with EXPORT_WORKERS=0). Each: p50 of `{ __typename }` and of cold reports
 * before the export, and while it runs.
 */
export async function timeReportsBesideExport(databaseUrl: string) {
  console.log(`\nreports beside a FULL xlsx export of campaign 5 (June, about 1,000,000 calls): ms, cold reports, before it and while it runs`);
  row('', 'quiet p50', 'running p50', 'running p99', '');
  let run = 1;
  for (const where of ['in the same process', 'in a worker process'] as const) {
    const inWorker = where === 'in a worker process';
    const gateway = await startGateway(databaseUrl, { EXPORT_WORKERS: inWorker ? '0' : '1' });
    const worker = inWorker ? await startWorker(databaseUrl) : undefined;
    try {
      const post = await client(gateway);
      for (let warm = 0; warm < 200; warm += 1) await post('{ __typename }');
      const quiet = await probe(post, () => false, (run += 1000), RUNS / 2);
      const started = await post('mutation { exportReport(input: { campaignId: "5", reportType: FULL, from: "2026-06-01", to: "2026-06-30" }) { id } }');
      const id = started.data.exportReport.id as string;
      let status = 'QUEUED';
      const watch = setInterval(
        () => void post(`{ exportJob(id: "${id}") { status } }`).then(({ data }) => (status = data.exportJob.status as string), () => undefined),
        250,
      );
      const began = performance.now();
      while (status === 'QUEUED') await new Promise((resolve) => setTimeout(resolve, 50));
      const busy = await probe(post, () => status === 'RUNNING', (run += 1000));
      clearInterval(watch);
      if (status !== 'READY') throw new Error(`the export ended ${status}`);
      console.log(`export ${where}: ${((performance.now() - began) / 1000).toFixed(1)} s from the mutation to READY`);
      for (const [index, name] of ['{ __typename }', ...REPORTS.map(([report]) => report)].entries()) {
        row(`  ${name}`, quantile(quiet[index]!, 0.5), quantile(busy[index]!, 0.5), quantile(busy[index]!, 0.99), `(${busy[index]!.length} runs)`);
      }
    } finally {
      await worker?.stop();
      await gateway.stop();
    }
  }
}

/** `npm run worker` as a process of its own (compiled, with its Node flags), without Redis: it finds jobs in PostgreSQL. */
async function startWorker(databaseUrl: string) {
  const flags = (process.env.npm_package_config_node_flags ?? '').split(' ').filter(Boolean);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-bench-worker-'));
  const child = spawn(process.execPath, [...flags, fileURLToPath(new URL('../../dist/worker.js', import.meta.url))], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: BENCH_SECRET, DATA_DIR: dataDir, REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('export worker') && resolve());
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
  });
  return {
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Reports read from a streaming replica beside the same reports read from the primary: a primary
 * and a replica of the bench's own (from the PostgreSQL binaries), one gateway on each way of
 * reading, in turns. A read from the replica pays two small round trips first (the primary's WAL
 * position, the replica's replay position).
 */
export async function timeReplicaReads() {
  const cluster = await startPostgresCluster({ replica: true });
  try {
    const db = await openDatabase({ kind: 'postgres', url: cluster.primary.url(), timeouts: { connectMs: 5_000, queryMs: 0 } });
    await migrate(db);
    const { imported } = await importNdjson(db, demoLines({ tenantId: 'bench', campaigns: 1, leadsPerCampaign: REPLICA_LEADS }));
    await vacuumAnalyze(db);
    await db.close();
    console.log(`\nreports from a streaming replica beside the primary: one campaign of ${imported.call} calls, p50 ms over ${RUNS} cold runs each, in turns`);
    row('', 'primary', 'replica');
    const gateways = [await startGateway(cluster.primary.url()), await startGateway(cluster.primary.url(), { DATABASE_READ_URL: cluster.replica!.url() })];
    try {
      const posts = await Promise.all(gateways.map(client));
      for (const post of posts) for (let warm = 0; warm < 200; warm += 1) await post('{ __typename }');
      const times = gateways.map(() => [[], ...REPORTS.map(() => [])] as number[][]);
      for (let run = 0; run < RUNS + 10; run += 1) {
        for (const [which, post] of posts.entries()) {
          const typename = await post('{ __typename }');
          const reports = [];
          for (const [, query] of REPORTS) reports.push(await post(query(run * 2 + which + 1)));
          if (run < 10) continue;
          times[which]![0]!.push(typename.ms);
          for (const [index, { ms }] of reports.entries()) times[which]![index + 1]!.push(ms);
        }
      }
      for (const [index, name] of ['{ __typename }', ...REPORTS.map(([report]) => report)].entries()) {
        row(`  ${name}`, quantile(times[0]![index]!, 0.5), quantile(times[1]![index]!, 0.5));
      }
    } finally {
      for (const gateway of gateways) await gateway.stop();
    }
  } finally {
    await cluster.close();
  }
}

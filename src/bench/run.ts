import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../db/client.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { migrate } from '../db/migrator.js';
import { createScratchDatabase, scratchDatabaseUrl } from '../db/server-admin.js';
import { demoLines } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { buildApp } from '../server/app.js';
import { PERMISSIONS, secretKey, signToken } from '../server/auth.js';

// npm run bench: loads ≥ 1,000,000 calls of 20 campaigns through the importer into a scratch
// database `autocall_bench` on the PostgreSQL server of DATABASE_URL (the database DATABASE_URL
// names is not touched), then times every report over HTTP; then a FULL xlsx export of a
// one-campaign database of about 1,000,000 calls (`autocall_bench_export`). The scratch databases
// are kept for inspection; BENCH_REUSE=1 times everything again on them without importing anew.

const CAMPAIGNS = 20;
const LEADS_PER_CAMPAIGN = Number(process.env.BENCH_LEADS_PER_CAMPAIGN ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARM_UPS = 3;
const BENCH_DATABASE = 'autocall_bench';
const EXPORT_DATABASE = 'autocall_bench_export';
/** One campaign's leads for the export figure: about 1,000,000 calls. */
const EXPORT_LEADS = Number(process.env.BENCH_EXPORT_LEADS ?? 650_000);
const MONTH = 'from: "2026-06-01T00:00:00+07:00", to: "2026-07-01T00:00:00+07:00"';
const CAMPAIGN_IDS = Array.from({ length: CAMPAIGNS }, (_, index) => (index < 3 ? [5, 8, 12][index]! : 10 + index));

const QUERIES: [string, string][] = [
  ['kpis', `{ campaign(id: "5") { kpis(${MONTH}) { dialed answered answerRatePct avgCallDurationSec dtmfDistribution { key count } transferSuccessRatePct } } }`],
  ['trend DAY (30 days)', `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-30") { bucket dialed answerRatePct avgDurationSec } } }`],
  ['trend HOUR (7 days)', `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-07", granularity: HOUR) { bucket dialed } } }`],
  ['hangup', `{ campaign(id: "5") { hangup(${MONTH}) { totalCalls byHangupCause { hangupCause count pct } } } }`],
  ['heatmap', `{ campaign(id: "5") { heatmap(metric: ANSWER_RATE_PCT, ${MONTH}) { dayOfWeek hour value } } }`],
  ['dtmf', `{ campaign(id: "5") { dtmf(${MONTH}) { totalAnswered byDigit { digit pct } byScriptPath { path count } } } }`],
  ['funnel', `{ campaign(id: "5") { funnel(${MONTH}) { stage count dropRatePct } } }`],
  ['campaigns(first: 20) kpis', `{ campaigns(first: 20) { edges { node { id kpis(${MONTH}) { dialed answerRatePct avgCallDurationSec } } } } }`],
  ['campaignComparison (20 ids)', `{ campaignComparison(campaignIds: [${CAMPAIGN_IDS.map((id) => `"${id}"`).join(', ')}], ${MONTH}) { campaignId metricValue } }`],
];

/** The bench imports a million calls and vacuums them, as `npm run import` does: no statement timeout. */
const IMPORT_TIMEOUTS = { connectMs: 5_000, queryMs: 0 };

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error('npm run bench needs DATABASE_URL (a PostgreSQL server), e.g.\n  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run bench');
    process.exit(2);
  }
  const reuse = process.env.BENCH_REUSE === '1';
  const url = reuse ? scratchDatabaseUrl(serverUrl, BENCH_DATABASE) : await createScratchDatabase(serverUrl, BENCH_DATABASE);
  const db = await openDatabase({ kind: 'postgres', url, timeouts: IMPORT_TIMEOUTS });
  try {
    await migrate(db);
    if (!reuse) await importDataSet(db, { campaigns: CAMPAIGNS, leadsPerCampaign: LEADS_PER_CAMPAIGN });
    await timeReports(db);
  } finally {
    await db.close();
  }
  if (process.env.BENCH_SKIP_EXPORT !== '1') await timeFullExport(serverUrl, reuse);
}

/** A FULL xlsx export of one campaign of about 1,000,000 calls, in a process of its own. */
async function timeFullExport(serverUrl: string, reuse: boolean) {
  const url = reuse ? scratchDatabaseUrl(serverUrl, EXPORT_DATABASE) : await createScratchDatabase(serverUrl, EXPORT_DATABASE);
  const db = await openDatabase({ kind: 'postgres', url, timeouts: IMPORT_TIMEOUTS });
  try {
    await migrate(db);
    if (!reuse) {
      console.log('');
      await importDataSet(db, { campaigns: 1, leadsPerCampaign: EXPORT_LEADS });
    }
  } finally {
    await db.close();
  }
  // Measured as npm start runs the gateway: compiled (npm run bench builds dist/ first), with the
  // Node flags package.json gives npm start.
  const nodeFlags = (process.env.npm_package_config_node_flags ?? '').split(' ').filter(Boolean);
  const script = fileURLToPath(new URL('../../dist/bench/export-full.js', import.meta.url));
  console.log(`export, run as node ${[...nodeFlags, path.relative(process.cwd(), script)].join(' ')}:`);
  const child = spawn(process.execPath, [...nodeFlags, script], { env: { ...process.env, DATABASE_URL: url }, stdio: 'inherit' });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the export benchmark exited with ${code}`);
}

async function importDataSet(db: Database, size: { campaigns: number; leadsPerCampaign: number }) {
  console.log(`Importing ${size.campaigns} campaign(s) × ${size.leadsPerCampaign} leads through the NDJSON importer…`);
  const start = performance.now();
  const { imported } = await importNdjson(db, demoLines({ tenantId: 'bench', ...size }));
  const seconds = (performance.now() - start) / 1000;
  const records = imported.campaign + imported.lead + imported.call;
  console.log(
    `import: ${imported.call} calls and ${imported.lead} leads in ${seconds.toFixed(1)} s = ` +
      `${Math.round(imported.call / seconds)} calls/s (${Math.round(records / seconds)} records/s)`,
  );
  const vacuumStart = performance.now();
  await vacuumAnalyze(db);
  console.log(`VACUUM (ANALYZE) after the import, as npm run import does: ${((performance.now() - vacuumStart) / 1000).toFixed(1)} s`);
}

async function timeReports(db: Database) {
  const jwtKey = secretKey('bench-secret-bench-secret-bench-secret-0123');
  const app = buildApp({ db, jwtKey, exportsDir: path.join(os.tmpdir(), 'autocall-bench-exports') });
  const endpoint = `${await app.start(0)}/graphql`;
  const token = await signToken(jwtKey, { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess] });
  console.log(`\n${`report over HTTP (${RUNS} runs after ${WARM_UPS} warm-ups)`.padEnd(50)}   p50 ms    p95 ms`);
  try {
    for (const [name, query] of QUERIES) {
      const timings: number[] = [];
      for (let run = 0; run < WARM_UPS + RUNS; run += 1) {
        const start = performance.now();
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(`${name} failed: ${JSON.stringify(body.errors)}`);
        if (run >= WARM_UPS) timings.push(performance.now() - start);
      }
      console.log(`${name.padEnd(50)} ${quantile(timings, 0.5).toFixed(1).padStart(8)} ${quantile(timings, 0.95).toFixed(1).padStart(9)}`);
    }
  } finally {
    await app.stop();
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

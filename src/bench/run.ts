import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrator.js';
import { demoLines } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { buildApp } from '../server/app.js';
import { PERMISSIONS, secretKey, signToken } from '../server/auth.js';

// npm run bench: loads ≥ 1,000,000 calls of 20 campaigns through the importer into a scratch
// database on the PostgreSQL server of DATABASE_URL (it creates and drops `autocall_bench`; the
// database DATABASE_URL names is not touched), then times every report over HTTP.

const CAMPAIGNS = 20;
const LEADS_PER_CAMPAIGN = Number(process.env.BENCH_LEADS_PER_CAMPAIGN ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const BENCH_DATABASE = 'autocall_bench';

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error('npm run bench needs DATABASE_URL (a PostgreSQL server), e.g.\n  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run bench');
    process.exit(2);
  }
  const url = await recreateDatabase(serverUrl);
  const db = await openDatabase({ kind: 'postgres', url });
  await migrate(db);

  console.log(`Importing ${CAMPAIGNS} campaigns × ${LEADS_PER_CAMPAIGN} leads through the NDJSON importer…`);
  const importStart = performance.now();
  const summary = await importNdjson(db, demoLines({ tenantId: 'bench', campaigns: CAMPAIGNS, leadsPerCampaign: LEADS_PER_CAMPAIGN }));
  const importSeconds = (performance.now() - importStart) / 1000;
  await db.prisma.$executeRawUnsafe('ANALYZE');
  const { imported } = summary;
  const records = imported.campaign + imported.lead + imported.call;
  console.log(
    `import: ${imported.call} calls, ${imported.lead} leads in ${importSeconds.toFixed(1)} s = ` +
      `${Math.round(imported.call / importSeconds)} calls/s (${Math.round(records / importSeconds)} records/s)`,
  );

  const jwtKey = secretKey('bench-secret-bench-secret-bench-secret-0123');
  const app = buildApp({ db, jwtKey });
  const endpoint = `${await app.start(0)}/graphql`;
  const token = await signToken(jwtKey, { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess] });
  const ids = Array.from({ length: CAMPAIGNS }, (_, index) => (index < 3 ? [5, 8, 12][index]! : 13 + index - 3));

  const month = 'from: "2026-06-01T00:00:00+07:00", to: "2026-07-01T00:00:00+07:00"';
  const queries: [string, string][] = [
    ['kpis', `{ campaign(id: "5") { kpis(${month}) { dialed answered answerRatePct avgCallDurationSec dtmfDistribution { key count } transferSuccessRatePct } } }`],
    ['trend DAY (30 days)', `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-30") { bucket dialed answerRatePct avgDurationSec } } }`],
    ['trend HOUR (7 days)', `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-07", granularity: HOUR) { bucket dialed } } }`],
    ['hangup', `{ campaign(id: "5") { hangup(${month}) { totalCalls byHangupCause { hangupCause count pct } } } }`],
    ['heatmap', `{ campaign(id: "5") { heatmap(metric: ANSWER_RATE_PCT, ${month}) { dayOfWeek hour value } } }`],
    ['dtmf', `{ campaign(id: "5") { dtmf(${month}) { totalAnswered byDigit { digit pct } byScriptPath { path count } } } }`],
    ['funnel', `{ campaign(id: "5") { funnel(${month}) { stage count dropRatePct } } }`],
    ['campaigns(first: 20) kpis', `{ campaigns(first: 20) { edges { node { id kpis(${month}) { dialed answerRatePct avgCallDurationSec } } } } }`],
    ['campaignComparison (20)', `{ campaignComparison(campaignIds: [${ids.map((id) => `"${id}"`).join(', ')}], ${month}) { campaignId metricValue } }`],
  ];

  console.log(`\nreport over HTTP (${RUNS} runs after 3 warm-ups)        p50 ms    p95 ms`);
  for (const [name, query] of queries) {
    const timings: number[] = [];
    for (let run = 0; run < RUNS + 3; run += 1) {
      const start = performance.now();
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`${name} failed: ${JSON.stringify(body.errors)}`);
      if (run >= 3) timings.push(performance.now() - start);
    }
    console.log(`${name.padEnd(50)} ${quantile(timings, 0.5).toFixed(1).padStart(8)} ${quantile(timings, 0.95).toFixed(1).padStart(9)}`);
  }

  await app.stop();
  await db.close();
  await withServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function recreateDatabase(serverUrl: string): Promise<string> {
  await withServer(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

async function withServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../db/client.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { migrate } from '../db/migrator.js';
import { createScratchDatabase, scratchDatabaseUrl } from '../db/server-admin.js';
import { demoLines } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { readLines } from '../import/lines.js';
import { kpisRoute } from '../rest/report-routes.js';
import { buildApp } from '../server/app.js';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { copyCallsPerSecond } from './copy-baseline.js';
import { timeEmbeddedIdleRss } from './embedded-rss.js';
import { timeCachedThroughput } from './throughput.js';
import { timeConcurrentIngests } from './ingest-load.js';
import { liveIngests } from './live-ingest.js';
import { timeSubscribers } from './subscribers.js';
import { timeStorm } from './storm.js';
import { timeReplicaReads, timeReportsBesideExport } from './fleet.js';
import { timeObservabilityOverhead } from './observability.js';
import { S3_KEYS, startS3Server } from './s3-server.js';
import { LocalExportStore } from '../exports/local-store.js';
import { createMetrics } from '../metrics/registry.js';
import { reportSteps } from './report-steps.js';
import { importInSlices } from './sliced-import.js';
import { printBytesPerCall } from './data-size.js';

// npm run bench: loads 20 campaigns through the importer into a scratch database `autocall_bench`
// on the PostgreSQL server of DATABASE_URL (the database DATABASE_URL names is not touched) and
// times the many-campaign queries over HTTP and 10,000 subscribers of one of them; then one campaign
// of about 1,000,000 calls (`autocall_bench_export`) for every report (REST beside GraphQL, and
// again while calls stream in), concurrent one-call ingests, and a FULL xlsx export of it. The
// scratch databases are kept for inspection; BENCH_REUSE=1 times everything again on them without
// importing anew (live ingests add calls of today to it).
// First of all, the embedded gateway's idle memory with the demo data.

const CAMPAIGNS = 20;
const LEADS_PER_CAMPAIGN = Number(process.env.BENCH_LEADS_PER_CAMPAIGN ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
/**
 * Runs of each report before its timed ones, with arguments of their own: the server's code is
 * compiled by then, as in a server that has been up a while, and the timed runs' arguments are still new.
 */
const WARM_UPS = 15;
/** `{ __typename }` requests that warm the server up before anything is timed. */
const SERVER_WARM_UPS = 200;
const BENCH_DATABASE = 'autocall_bench';
const EXPORT_DATABASE = 'autocall_bench_export';
/** One campaign's leads for the export figure: about 1,000,000 calls. */
const EXPORT_LEADS = Number(process.env.BENCH_EXPORT_LEADS ?? 650_000);
/** BENCH_ONLY=scale's large campaign: ten times the one-campaign data set, about 10,000,000 calls. */
const SCALE_DATABASE = 'autocall_bench_10m';
const SCALE_LEADS = Number(process.env.BENCH_SCALE_LEADS ?? EXPORT_LEADS * 10);
/** graphql-ws subscribers of one campaign on one gateway process. */
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const CAMPAIGN_IDS = Array.from({ length: CAMPAIGNS }, (_, index) => (index < 3 ? [5, 8, 12][index]! : 10 + index));

/**
 * Zones with whole-quarter-hour offsets, one per run, so a cold run's trend and heatmap (whose
 * arguments are days) meet arguments no earlier run has used.
 */
const ZONES = Intl.supportedValuesOf('timeZone').filter((zone) => !zone.startsWith('Etc/'));

/**
 * A month window ending `run` seconds before July: every run asks for a window no earlier run asked
 * for, so nothing (no cache of ours, no prepared plan of the same values) can answer it for free.
 */
const month = (run: number) => `from: "2026-06-01T00:00:00+07:00", to: "${new Date(Date.UTC(2026, 5, 30, 17) - run * 1000).toISOString()}"`;

/** The same for a week in the middle of June. */
const week = (run: number) => `from: "2026-06-08T00:00:00+07:00", to: "${new Date(Date.UTC(2026, 5, 14, 17) - run * 1000).toISOString()}"`;

/** The second half of June, so its previous period (the first half) holds calls too. */
const fortnight = (run: number) => `from: "2026-06-15T00:00:00+07:00", to: "${new Date(Date.UTC(2026, 5, 29, 17) - run * 1000).toISOString()}"`;

/** A GraphQL query, an operation with variables, a REST path of the same server, or SQL sent to the database directly. */
type Query = (run: number) => string | { query: string; variables: Record<string, unknown> } | { rest: string } | { sql: string };

/** The month window as the REST kpis path's query string takes it. */
const monthParameters = (run: number) =>
  new URLSearchParams({ from: '2026-06-01T00:00:00+07:00', to: new Date(Date.UTC(2026, 5, 30, 17) - run * 1000).toISOString() });

const ONE_CAMPAIGN_REPORTS: [string, Query][] = [
  ['kpis', (run) => `{ campaign(id: "5") { kpis(${month(run)}) { dialed answered answerRatePct avgCallDurationSec dtmfDistribution { key count } transferSuccessRatePct } } }`],
  ['trend DAY (30 days)', (run) => `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-30", timezone: "${ZONES[run % ZONES.length]}") { bucket dialed answerRatePct avgDurationSec } } }`],
  ['trend HOUR (7 days)', (run) => `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-07", granularity: HOUR, timezone: "${ZONES[run % ZONES.length]}") { bucket dialed } } }`],
  ['trend QUARTER_HOUR (2 days)', (run) => `{ campaign(id: "5") { trend(from: "2026-06-10", to: "2026-06-11", granularity: QUARTER_HOUR, timezone: "${ZONES[run % ZONES.length]}") { bucket start end dialed } } }`],
  ['trend WEEK (30 days)', (run) => `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-30", granularity: WEEK, timezone: "${ZONES[run % ZONES.length]}") { bucket start end dialed answerRatePct } } }`],
  ['trend MONTH (30 days)', (run) => `{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-06-30", granularity: MONTH, timezone: "${ZONES[run % ZONES.length]}") { bucket dialed answerRatePct } } }`],
  ['kpis talkTimePercentiles', (run) => `{ campaign(id: "5") { kpis(${month(run)}) { talkTimePercentiles { p50 p90 p95 p99 } } } }`],
  ['kpis previousPeriod (2 weeks)', (run) => `{ campaign(id: "5") { kpis(${fortnight(run)}) { dialed answerRatePct previousPeriod { dialed answerRatePct } } } }`],
  ['hangup', (run) => `{ campaign(id: "5") { hangup(${month(run)}) { totalCalls byHangupCause { hangupCause count pct } } } }`],
  ['dispositions', (run) => `{ campaign(id: "5") { dispositions(${month(run)}) { totalDisposed byDisposition { disposition count pct } } } }`],
  ['heatmap', (run) => `{ campaign(id: "5") { heatmap(metric: ANSWER_RATE_PCT, ${month(run)}, timezone: "${ZONES[run % ZONES.length]}") { dayOfWeek hour value } } }`],
  ['dtmf', (run) => `{ campaign(id: "5") { dtmf(${month(run)}) { totalAnswered byDigit { digit pct } byScriptPath { path count } } } }`],
  // The month holds every call of the data set, so its funnel sums the per-lead state; a week does not.
  ['funnel (month)', (run) => `{ campaign(id: "5") { funnel(${month(run)}) { stage count dropRatePct } } }`],
  ['funnel (7 days)', (run) => `{ campaign(id: "5") { funnel(${week(run)}) { stage count dropRatePct } } }`],
  // The default window ends now, which no earlier run has asked for either.
  ['funnel (whole campaign)', () => '{ campaign(id: "5") { funnel { stage count dropRatePct } } }'],
];
/**
 * Timed in turns, run by run, so that the machine's changing speed falls on both alike: the REST
 * path, and its own saved operation sent as GraphQL. The difference is what the REST layer costs.
 */
const REST_BESIDE_GRAPHQL: [string, Query][] = [
  ['kpis: GraphQL, the REST operation', (run) => ({ query: kpisRoute.document, variables: { id: '5', ...Object.fromEntries(monthParameters(run)) } })],
  ['kpis: GET /api/…/reports/kpis', (run) => ({ rest: `/api/autocall/campaigns/5/reports/kpis?${monthParameters(run)}` })],
];

/**
 * The week's funnel beside its yardstick, timed in turns: PostgreSQL grouping the same calls by lead
 * and counting the groups, with no stage, no rollup and no HTTP. It is most of the funnel's work:
 * a window that holds a small part of a campaign's calls is counted from its calls.
 */
const FUNNEL_BESIDE_GROUPING: [string, Query][] = [
  ['funnel (7 days)', ONE_CAMPAIGN_REPORTS.find(([name]) => name === 'funnel (7 days)')![1]],
  [
    'yardstick: its calls by lead, SQL',
    (run) => ({
      sql: `SELECT count(*) FROM (SELECT lead_id FROM call_attempt WHERE campaign_id = 5 AND started_at >= '2026-06-08T00:00:00+07:00'
              AND started_at < '${new Date(Date.UTC(2026, 5, 14, 17) - run * 1000).toISOString()}' GROUP BY lead_id) leads`,
    }),
  ],
];

const MANY_CAMPAIGN_REPORTS: [string, Query][] = [
  ['campaigns(first: 20) kpis', (run) => `{ campaigns(first: 20) { edges { node { id kpis(${month(run)}) { dialed answerRatePct avgCallDurationSec } } } } }`],
  ['campaignComparison (20 ids)', (run) => `{ campaignComparison(campaignIds: [${CAMPAIGN_IDS.map((id) => `"${id}"`).join(', ')}], ${month(run)}) { campaignId metricValue } }`],
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
  // BENCH_ONLY=storm: the fair-share storm alone (on the 20-campaign data set, imported if missing).
  if (process.env.BENCH_ONLY === 'storm') {
    await withDataSet(serverUrl, BENCH_DATABASE, reuse, { campaigns: CAMPAIGNS, leadsPerCampaign: LEADS_PER_CAMPAIGN }, (db) =>
      timeStorm(db, scratchDatabaseUrl(serverUrl, BENCH_DATABASE)),
    );
    return;
  }
  // BENCH_ONLY=fleet: the FULL export (into a directory and into a bucket), reports beside it (on the
  // one-campaign data set, imported if missing), and reports from a replica.
  if (process.env.BENCH_ONLY === 'fleet') {
    await withDataSet(serverUrl, EXPORT_DATABASE, reuse, { campaigns: 1, leadsPerCampaign: EXPORT_LEADS }, async () => {});
    await timeFullExport(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
    await timeReportsBesideExport(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
    await timeReplicaReads();
    return;
  }
  // BENCH_ONLY=reports: every report on the one-campaign data set (imported if missing), as data rests and while calls stream in.
  if (process.env.BENCH_ONLY === 'reports') {
    await withDataSet(serverUrl, EXPORT_DATABASE, reuse, { campaigns: 1, leadsPerCampaign: EXPORT_LEADS }, timeOneCampaignReports);
    return;
  }
  // BENCH_ONLY=scale: one campaign of about 10,000,000 calls (BENCH_SCALE_LEADS leads, imported in
  // ten slices) beside the one-campaign data set of about 1,000,000: every report at both sizes, their
  // databases' bytes per call, concurrent one-call ingests and FULL exports (xlsx and CSV) at both.
  // With BENCH_REUSE=1 only the large campaign is timed again (the small one's figures are those of
  // the run that imported both). The week's funnel, seconds a run at 10,000,000 calls, is timed beside
  // its yardstick in a few runs of its own rather than among the reports.
  if (process.env.BENCH_ONLY === 'scale') {
    if (!reuse) {
      await withDataSet(serverUrl, EXPORT_DATABASE, false, { campaigns: 1, leadsPerCampaign: EXPORT_LEADS }, async (db) => {
        await printBytesPerCall(db, 'one campaign of about 1,000,000');
        await timeOneCampaignReports(db);
        await timeConcurrentIngests(db, scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
        await timeFullExport(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE), ['xlsx', 'csv'], { s3: false });
      });
    }
    const url = reuse ? scratchDatabaseUrl(serverUrl, SCALE_DATABASE) : await createScratchDatabase(serverUrl, SCALE_DATABASE);
    const db = await openDatabase({ kind: 'postgres', url, timeouts: IMPORT_TIMEOUTS });
    try {
      await migrate(db);
      if (!reuse) await importInSlices(db, url, SCALE_LEADS, 10);
      const label = `one campaign of about ${Math.round((SCALE_LEADS * 1.56) / 1e6)},000,000 calls`;
      await printBytesPerCall(db, label);
      const quick = ONE_CAMPAIGN_REPORTS.filter(([name]) => name !== 'funnel (7 days)');
      await timeReports(db, label, quick, FUNNEL_BESIDE_GROUPING, { inTurnsRuns: 3 });
      await timeReports(db, 'the same campaign while calls stream in: an ingest lands before every run', quick);
      await timeConcurrentIngests(db, url);
    } finally {
      await db.close();
    }
    await timeFullExport(url, ['xlsx', 'csv'], { s3: false });
    return;
  }
  // BENCH_ONLY=observability: what metrics and the request log cost (on the one-campaign data set, imported if missing).
  if (process.env.BENCH_ONLY === 'observability') {
    await withDataSet(serverUrl, EXPORT_DATABASE, reuse, { campaigns: 1, leadsPerCampaign: EXPORT_LEADS }, async () => {});
    await timeObservabilityOverhead(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
    return;
  }
  await timeEmbeddedIdleRss();
  await withDataSet(serverUrl, BENCH_DATABASE, reuse, { campaigns: CAMPAIGNS, leadsPerCampaign: LEADS_PER_CAMPAIGN }, async (db) => {
    await timeReports(db, `${CAMPAIGNS} campaigns of about ${Math.round(LEADS_PER_CAMPAIGN * 1.56 / 1000)}k calls`, MANY_CAMPAIGN_REPORTS);
    await timeStorm(db, scratchDatabaseUrl(serverUrl, BENCH_DATABASE));
  });
  await timeSubscribers(scratchDatabaseUrl(serverUrl, BENCH_DATABASE), SUBSCRIBERS);
  await withDataSet(serverUrl, EXPORT_DATABASE, reuse, { campaigns: 1, leadsPerCampaign: EXPORT_LEADS }, async (db) => {
    await timeOneCampaignReports(db);
    await timeCachedThroughput(db);
    await timeConcurrentIngests(db, scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
    await timeObservabilityOverhead(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
  });
  if (process.env.BENCH_SKIP_EXPORT !== '1') {
    await timeFullExport(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
    await timeReportsBesideExport(scratchDatabaseUrl(serverUrl, EXPORT_DATABASE));
  }
  await timeReplicaReads();
}

/** A scratch database holding the data set (imported unless reused), for `use`. */
async function withDataSet(
  serverUrl: string,
  name: string,
  reuse: boolean,
  size: { campaigns: number; leadsPerCampaign: number },
  use: (db: Database) => Promise<void>,
) {
  const url = reuse ? scratchDatabaseUrl(serverUrl, name) : await createScratchDatabase(serverUrl, name);
  const db = await openDatabase({ kind: 'postgres', url, timeouts: IMPORT_TIMEOUTS });
  try {
    await migrate(db);
    if (!reuse) await importDataSet(db, url, size);
    await use(db);
  } finally {
    await db.close();
  }
}

/**
 * A FULL export of campaign 5 in each of `formats`, each in a process of its own; also into an S3
 * bucket unless `s3` is false.
 */
async function timeFullExport(url: string, formats: ('xlsx' | 'csv')[] = ['xlsx'], { s3: toBucket = true } = {}) {
  // Compiled (npm run bench builds dist/ first), with the Node flags of npm start and npm run worker:
  // once writing to a directory, as npm start does, once streaming into a bucket (s3rver, in a
  // process of its own), as a worker of a fleet does.
  const script = fileURLToPath(new URL('../../dist/bench/export-full.js', import.meta.url));
  const nodeFlags = (process.env.npm_package_config_node_flags ?? '').split(' ').filter(Boolean);
  const s3 = toBucket ? await startS3Server(['exports']) : undefined;
  try {
    const storages = [{}, ...(s3 ? [{ EXPORT_STORAGE_URL: 's3://exports/bench', AWS_ENDPOINT_URL: s3.endpoint, ...S3_KEYS, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }] : [])];
    for (const format of formats) {
      for (const env of storages) {
        console.log(`export, run as node ${[...nodeFlags, path.relative(process.cwd(), script)].join(' ')}:`);
        const child = spawn(process.execPath, [...nodeFlags, script], { env: { ...process.env, DATABASE_URL: url, BENCH_EXPORT_FORMAT: format, ...env }, stdio: 'inherit' });
        const code = await new Promise((resolve) => child.on('exit', resolve));
        if (code !== 0) throw new Error(`the export benchmark exited with ${code}`);
      }
    }
  } finally {
    await s3?.stop();
  }
}

async function importDataSet(db: Database, url: string, size: { campaigns: number; leadsPerCampaign: number }) {
  // The data set is written to a file first, as `npm run import` would be given one: the figure is
  // the importer's (reading, parsing, writing), not the demo generator's.
  const file = path.join(os.tmpdir(), `autocall-bench-${process.pid}.ndjson`);
  await pipeline(
    Readable.from(demoLines({ tenantId: 'bench', ...size })).map((line: string) => `${line}\n`),
    fs.createWriteStream(file),
  );
  try {
    console.log(`\nImporting ${size.campaigns} campaign(s) × ${size.leadsPerCampaign} leads from an NDJSON file through the importer…`);
    const start = performance.now();
    const { imported } = await importNdjson(db, readLines(fs.createReadStream(file)));
    const seconds = (performance.now() - start) / 1000;
    const records = imported.campaign + imported.lead + imported.call;
    console.log(
      `import with the rollups: ${imported.call} calls and ${imported.lead} leads in ${seconds.toFixed(1)} s = ` +
        `${Math.round(imported.call / seconds)} calls/s (${Math.round(records / seconds)} records/s)`,
    );
    const vacuumStart = performance.now();
    await vacuumAnalyze(db);
    console.log(`VACUUM (ANALYZE) after the import, as npm run import does: ${((performance.now() - vacuumStart) / 1000).toFixed(1)} s`);
    const ceiling = await insertCeiling(db);
    console.log(
      `INSERT of the same calls and leads into copies of call_attempt and lead with their keys and indexes (no rollup, ` +
        `no parsing): ${ceiling.perSecond} calls/s`,
    );
    const copy = await copyCallsPerSecond(url, file);
    console.log(`COPY of the same ${copy.calls} calls into a bare table (no index, no key, no rollup): ${copy.perSecond} calls/s`);
    console.log(
      `PostgreSQL's share of the import: the importer's statement writing those calls from that table, every rollup kept ` +
        `(nothing parsed, sent or validated; rolled back after): ${copy.withRollupsPerSecond} calls/s`,
    );
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * What PostgreSQL alone takes to store the imported rows with the indexes the reports need, server
 * side (INSERT ... SELECT): the most an import can reach before it parses a line or keeps a rollup.
 */
async function insertCeiling(db: Database): Promise<{ perSecond: number }> {
  const sql = (statement: string) => db.prisma.$executeRawUnsafe(statement);
  await sql('CREATE TABLE bench_ceiling_call (LIKE call_attempt INCLUDING INDEXES)');
  await sql('CREATE TABLE bench_ceiling_lead (LIKE lead INCLUDING INDEXES)');
  try {
    const start = performance.now();
    await sql('INSERT INTO bench_ceiling_lead SELECT * FROM lead');
    const calls = await sql('INSERT INTO bench_ceiling_call SELECT * FROM call_attempt');
    return { perSecond: Math.round(calls / ((performance.now() - start) / 1000)) };
  } finally {
    await sql('DROP TABLE bench_ceiling_call, bench_ceiling_lead');
  }
}

/**
 * Each report's p50 over HTTP, cold (each run's arguments new: another window end or zone) and warm
 * (the same arguments again), beside `{ __typename }` on the same server in the same run; then the
 * `inTurns` queries, timed in turns. `live`: before every run (untimed) a small ingest lands, as
 * on a gateway a dialer feeds (see liveIngests).
 */
/** Every report on the one-campaign data set, as its data rests and while calls stream in. */
async function timeOneCampaignReports(db: Database) {
  await timeReports(db, 'one campaign of about 1,000,000 calls', ONE_CAMPAIGN_REPORTS, [...REST_BESIDE_GRAPHQL, ...FUNNEL_BESIDE_GROUPING]);
  await timeReports(db, 'the same campaign while calls stream in: an ingest lands before every run', ONE_CAMPAIGN_REPORTS, FUNNEL_BESIDE_GROUPING, { live: true });
}

async function timeReports(db: Database, dataSet: string, reports: [string, Query][], inTurns: [string, Query][] = [], { live = false, inTurnsRuns = RUNS } = {}) {
  const jwtKey = secretKey('bench-secret-bench-secret-bench-secret-0123');
  // With metrics, as npm start runs: the steps of each report's cold runs are read off them.
  const metrics = createMetrics();
  const steps = reportSteps(metrics);
  const app = buildApp({ db, jwtKey, metrics, exportStore: new LocalExportStore(path.join(os.tmpdir(), 'autocall-bench-exports')) });
  const origin = await app.start(0);
  const token = await signToken(jwtKey, { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess, PERMISSIONS.ingest] });
  const land = live ? await liveIngests(db, origin, token) : async () => {};
  const timed = async (name: string, query: ReturnType<Query>) => {
    const authorization = `Bearer ${token}`;
    const start = performance.now();
    if (typeof query === 'object' && 'sql' in query) {
      await db.prisma.$queryRawUnsafe(query.sql);
      return performance.now() - start;
    }
    const response =
      typeof query === 'object' && 'rest' in query
        ? await fetch(`${origin}${query.rest}`, { headers: { authorization } })
        : await fetch(`${origin}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify(typeof query === 'string' ? { query } : query),
          });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors || response.status !== 200) throw new Error(`${name} failed: ${response.status} ${JSON.stringify(body)}`);
    return performance.now() - start;
  };
  /** The p50 of each query, run in turns; cold, every run of every query has arguments of its own. */
  const p50s = async (queries: [string, Query][], warm: boolean, runs = RUNS, warmUps = WARM_UPS) => {
    const timings = queries.map((): number[] => []);
    for (let run = 0; run < warmUps + runs; run += 1) {
      for (const [index, [name, query]] of queries.entries()) {
        await land();
        // Warm-ups use arguments of their own, so the first timed cold run is as new as the last.
        const time = await timed(name, query(warm ? 0 : run * queries.length + index + 1));
        if (run >= warmUps) timings[index]!.push(time);
      }
    }
    return timings.map((times) => quantile(times, 0.5));
  };
  const print = (name: string, cold: number, warm: number) => console.log(`${name.padEnd(34)} ${cold.toFixed(1).padStart(11)} ${warm.toFixed(1).padStart(12)}`);
  console.log(`\nreports over HTTP, ${dataSet} (${RUNS} runs after ${SERVER_WARM_UPS} { __typename } and ${WARM_UPS} of the report with other arguments)`);
  console.log(`${'query'.padEnd(34)} cold p50 ms  warm p50 ms`);
  try {
    for (let run = 0; run < SERVER_WARM_UPS; run += 1) await timed('__typename', '{ __typename }');
    const [typename] = await p50s([['__typename', () => '{ __typename }']], true);
    print('{ __typename }', typename!, typename!);
    for (const report of reports) {
      const before = await steps.read();
      const [cold] = await p50s([report], false);
      const coldSteps = await steps.since(before);
      const [warm] = await p50s([report], true);
      print(report[0], cold!, warm!);
      console.log(`  cold, ms per request: ${coldSteps}`);
    }
    if (inTurns.length === 0) return;
    console.log(`timed in turns${inTurnsRuns === RUNS ? '' : ` (${inTurnsRuns} runs after 1 of each with other arguments)`}:`);
    const slow = inTurnsRuns !== RUNS;
    const [cold, warm] = [await p50s(inTurns, false, inTurnsRuns, slow ? 1 : WARM_UPS), await p50s(inTurns, true, inTurnsRuns, slow ? 1 : WARM_UPS)];
    for (const [index, [name]] of inTurns.entries()) print(name, cold[index]!, warm[index]!);
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

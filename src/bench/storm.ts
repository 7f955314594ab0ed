import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Database } from '../db/client.js';
import { demoLines } from '../demo/generator.js';
import { importNdjson } from '../import/importer.js';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { BENCH_SECRET, startGateway } from './gateway-process.js';
import { loadConfig } from '../config.js';

/** Tenant A's clients, each with a token of its own, as a wall of dashboards. */
const STORM_CLIENTS = 16;
const PHASE_SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? 20);
/** Tenant B's campaign, imported beside the 20 of tenant A (`bench`). */
const TENANT_B = 'bench-b';
const B_CAMPAIGN = 1005;
/** A probe every this many ms, from each prober. */
const PROBE_PAUSE_MS = 50;

/**
 * The heaviest query the gateway accepts, with new windows each time: every campaign (20) with an
 * HOUR trend over 28 days, a QUARTER_HOUR trend over 7, a DAY trend over three years, a year's
 * heatmap, a funnel and kpis.
 */
const stormQuery = (n: number) => {
  const day = String(1 + (n % 28)).padStart(2, '0');
  return `{ campaigns(first: 20) { edges { node { id
    hours: trend(from: "2026-05-${day}", to: "${addDays('2026-05-01', 27 + (n % 28))}", granularity: HOUR) { bucket dialed }
    quarters: trend(from: "2026-06-${String(1 + (n % 23)).padStart(2, '0')}", to: "${addDays('2026-06-07', n % 23)}", granularity: QUARTER_HOUR) { bucket dialed }
    days: trend(from: "2024-01-${day}", to: "${addDays('2026-12-31', n % 28 - 27)}", granularity: DAY) { bucket dialed answerRatePct }
    heatmap(metric: ANSWER_RATE_PCT, from: "2025-07-01T00:00:00Z", to: "${new Date(Date.UTC(2026, 6, 1) - n * 1000).toISOString()}") { dayOfWeek hour value }
    funnel(from: "2026-06-01T00:00:00Z", to: "${new Date(Date.UTC(2026, 5, 30) - n * 1000).toISOString()}") { stage count }
    kpis(from: "2026-06-01T00:00:00Z", to: "${new Date(Date.UTC(2026, 5, 30) - n * 1000).toISOString()}") { dialed answered }
  } } } }`;
};

function addDays(date: string, days: number) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Tenant B's kpis, a new window each time. */
const kpisOfB = (n: number) =>
  `{ campaign(id: "${B_CAMPAIGN}") { kpis(from: "2026-06-01T00:00:00Z", to: "${new Date(Date.UTC(2026, 6, 1) - n * 1000).toISOString()}") { dialed answered answerRatePct } } }`;

/** Tenant B: one campaign of about 30,000 calls, ids of its own, imported once. */
async function importTenantB(db: Database) {
  const [present] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM campaign WHERE id = ${B_CAMPAIGN}`);
  if (present!.n > 0) return;
  async function* lines() {
    for await (const line of demoLines({ tenantId: TENANT_B, campaigns: 1, leadsPerCampaign: 20_000 })) {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.type === 'campaign') record.id = B_CAMPAIGN;
      else {
        record.id = `b-${String(record.id)}`;
        record.campaign_id = B_CAMPAIGN;
        if (record.lead_id) record.lead_id = `b-${String(record.lead_id)}`;
      }
      yield JSON.stringify(record);
    }
  }
  await importNdjson(db, lines());
}

interface Probe {
  name: string;
  run: (n: number) => Promise<Response>;
}

/** Latencies of probes run back to back (a pause between) until `until`; fails on a non-200. */
async function probeUntil(probe: Probe, until: number, times: number[]) {
  for (let n = 0; performance.now() < until; n += 1) {
    const start = performance.now();
    const response = await probe.run(n + Math.floor(Math.random() * 1e6));
    const body = await response.text();
    if (response.status !== 200 || body.includes('"errors"')) throw new Error(`${probe.name} failed: ${response.status} ${body.slice(0, 300)}`);
    times.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] ?? NaN;

/**
 * Fair share, as issue 32 tried it: 16 clients of tenant A send the storm query as fast as they are
 * answered, while tenant B's kpis and GET /healthz are probed; the same probes first without the
 * storm. The gateway runs as `npm start` does, with its default cost budgets and fair-share settings.
 */
export async function timeStorm(db: Database, databaseUrl: string) {
  await importTenantB(db);
  // The limits npm start has by default (startGateway turns them off for the other figures).
  const { rateLimits, costBudgets } = loadConfig({});
  const gateway = await startGateway(databaseUrl, {
    RATE_LIMIT_PER_MINUTE: String(rateLimits.perToken),
    RATE_LIMIT_TENANT_PER_MINUTE: String(rateLimits.perTenant),
    RATE_LIMIT_COST_PER_SECOND: String(costBudgets.token.restoreRate),
    RATE_LIMIT_TENANT_COST_PER_SECOND: String(costBudgets.tenant.restoreRate),
  });
  const key = secretKey(BENCH_SECRET);
  const tokenOf = (tenantId: string, sub: string) => signToken(key, { sub, tenantId, permissions: [PERMISSIONS.apiAccess] });
  const post = (token: string, query: string) =>
    fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  const bToken = await tokenOf(TENANT_B, 'b-dashboard');
  const probes: Probe[] = [
    { name: "tenant B's kpis", run: (n) => post(bToken, kpisOfB(n)) },
    { name: 'GET /healthz', run: () => fetch(`${gateway.base}/healthz`) },
  ];
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${gateway.process.pid}/status`, 'utf8'))![1]) / 1024;
  try {
    for (let n = 0; n < 50; n += 1) await (await probes[0]!.run(n)).text();
    const phase = async (storm: boolean) => {
      const until = performance.now() + PHASE_SECONDS * 1000;
      const times = probes.map((): number[] => []);
      const answers = { accepted: 0, throttled: 0, overloaded: 0, other: 0, acceptedMs: [] as number[] };
      const clients = storm
        ? Array.from({ length: STORM_CLIENTS }, async (_, client) => {
            const token = await tokenOf('bench', `wall-${client}`);
            for (let n = client; performance.now() < until; n += STORM_CLIENTS) {
              const start = performance.now();
              const response = await post(token, stormQuery(n));
              const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
              if (response.status === 200 && !body.errors) {
                answers.accepted += 1;
                answers.acceptedMs.push(performance.now() - start);
              } else if (response.status === 429) answers.throttled += 1;
              else if (body.errors?.[0]?.extensions?.code === 'OVERLOADED') answers.overloaded += 1;
              else answers.other += 1;
              // A client told to wait, waits a little, as a polite dashboard would not; a storm does.
              if (response.status === 429) await new Promise((resolve) => setTimeout(resolve, 100));
            }
          })
        : [];
      await Promise.all([...probes.map((probe, index) => probeUntil(probe, until, times[index]!)), ...clients]);
      return { times, answers };
    };
    const rssBefore = rss();
    const quiet = await phase(false);
    const stormy = await phase(true);
    const rssAfter = rss();
    console.log(`\nfair share: ${STORM_CLIENTS} clients of tenant A send the heaviest accepted query (20 campaigns, 3 trends, a year's heatmap, funnel, kpis; new windows) for ${PHASE_SECONDS} s`);
    console.log(`${'probe'.padEnd(20)} ${'quiet p50'.padStart(10)} ${'quiet p99'.padStart(10)} ${'storm p50'.padStart(10)} ${'storm p99'.padStart(10)}  ms (probes quiet / storm)`);
    for (const [index, { name }] of probes.entries()) {
      const [q, s] = [quiet.times[index]!, stormy.times[index]!];
      console.log(
        `${name.padEnd(20)} ${quantile(q, 0.5).toFixed(1).padStart(10)} ${quantile(q, 0.99).toFixed(1).padStart(10)} ${quantile(s, 0.5).toFixed(1).padStart(10)} ${quantile(s, 0.99).toFixed(1).padStart(10)}  (${q.length} / ${s.length})`,
      );
    }
    const { accepted, throttled, overloaded, other, acceptedMs } = stormy.answers;
    console.log(
      `tenant A: ${accepted} accepted (p50 ${quantile(acceptedMs, 0.5).toFixed(0)} ms), ${throttled} refused RATE_LIMITED (429), ${overloaded} OVERLOADED, ${other} other; ` +
        `gateway RSS ${rssBefore.toFixed(0)} MB before, ${rssAfter.toFixed(0)} MB after`,
    );
  } finally {
    await gateway.stop();
  }
}

import fs from 'node:fs';
import autocannon from 'autocannon';
import type { Database } from '../db/client.js';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { BENCH_SECRET, startGateway, type GatewayProcess } from './gateway-process.js';

const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);

/**
 * The shapes of load: one dialer posting call after call, on one gateway and one on each of two (where
 * neither the machine's cores nor the campaign's lock are the limit, two gateways should take twice
 * one's calls); 50 at once on one gateway; the same 50 split over two gateways.
 */
const LOADS = [
  { name: '1 client, 1 gateway', gateways: 1, connections: 1 },
  { name: '2 clients, 2 gateways', gateways: 2, connections: 2 },
  { name: '50 clients, 1 gateway', gateways: 1, connections: 50 },
  { name: '50 clients, 2 gateways', gateways: 2, connections: 50 },
];

/**
 * POST /ingest as a dialer posts its results live: one call per request (NDJSON of one line, a new
 * id every time) of one campaign's existing leads, from many connections at once (autocannon, in
 * this process), to gateways run as npm start runs them. Prints calls per second and latency, then
 * checks that every answered call is stored and that the campaign's rollups still equal its rows.
 */
export async function timeConcurrentIngests(db: Database, databaseUrl: string): Promise<void> {
  const token = await signToken(secretKey(BENCH_SECRET), { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.ingest] });
  const reader = await signToken(secretKey(BENCH_SECRET), { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess] });
  const leads = await db.prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM lead WHERE campaign_id = 5 ORDER BY id LIMIT 10000`);
  const run = Date.now().toString(36);
  let sent = 0;
  /** The ids of the calls whose request was answered 2xx: each must be stored. */
  const answered: string[] = [];
  console.log(`\nconcurrent ingests: one call per POST /ingest, ${SECONDS} s each (autocannon), then { __typename } from the same connections`);
  console.log(
    `${'load'.padEnd(26)} ${'calls/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}   ` +
      `${'{ __typename }/s'.padStart(16)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}   ${'VACUUMs'.padStart(7)} ${'mean s'.padStart(6)} ${'peak RSS MB'.padStart(11)}`,
  );
  const gateways: GatewayProcess[] = [];
  try {
    for (const load of LOADS) {
      while (gateways.length < load.gateways) gateways.push(await startGateway(databaseUrl));
      const vacuumsBefore = await Promise.all(gateways.map(vacuums));
      const ingests = await hammer(gateways.slice(0, load.gateways), load.connections, (base) => ({
        url: `${base}/ingest`,
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
        requests: [
          {
            setupRequest: (request, context) => {
              const n = (sent += 1);
              (context as { id?: string }).id = `LIVE-${run}-${n}`;
              const startedAt = new Date().toISOString();
              const call = {
                type: 'call', id: `LIVE-${run}-${n}`, campaign_id: 5, lead_id: leads[n % leads.length]!.id,
                started_at: startedAt, ended_at: startedAt, result: 'no_answer', billsec: 0, hangup_cause: 'NO_ANSWER',
              };
              return { ...request, body: JSON.stringify(call) };
            },
            onResponse: (status, _body, context) => {
              if (status >= 200 && status < 300) answered.push((context as { id: string }).id);
            },
          },
        ],
      }));
      // The yardstick: how many of the least GraphQL request there is the same gateways answer to the same connections.
      const typename = await hammer(gateways.slice(0, load.gateways), load.connections, (base) => ({
        url: `${base}/graphql`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      }));
      // The VACUUMs the gateways kept after these writes (the last one 2 s after them, during the { __typename } run).
      const vacuumed = (await Promise.all(gateways.map(vacuums))).reduce(
        (total, { count, seconds }, n) => ({ count: total.count + count - vacuumsBefore[n]!.count, seconds: total.seconds + seconds - vacuumsBefore[n]!.seconds }),
        { count: 0, seconds: 0 },
      );
      console.log(
        `${load.name.padEnd(26)} ${ingests.perSecond.toString().padStart(8)} ${ingests.p50.toFixed(1).padStart(7)} ${ingests.p99.toFixed(1).padStart(7)} ` +
          `${ingests.max.toFixed(1).padStart(7)}   ${typename.perSecond.toString().padStart(16)} ${typename.p50.toFixed(1).padStart(7)} ${typename.p99.toFixed(1).padStart(7)}   ` +
          `${vacuumed.count.toString().padStart(7)} ${(vacuumed.count ? vacuumed.seconds / vacuumed.count : 0).toFixed(2).padStart(6)} ` +
          `${gateways.map((gateway) => peakRssMegabytes(gateway.process.pid!)).join(', ').padStart(11)}`,
      );
    }
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  }
  const [stored] = await db.prisma.$queryRawUnsafe<{ calls: bigint }[]>(`SELECT count(*) AS calls FROM call_attempt WHERE id = ANY($1::text[])`, answered);
  const [counts] = await db.prisma.$queryRawUnsafe<{ calls: bigint; rolled_up: bigint }[]>(
    `SELECT (SELECT count(*) FROM call_attempt WHERE campaign_id = 5) AS calls,
       (SELECT coalesce(sum(dialed), 0) FROM call_day WHERE campaign_id = 5) AS rolled_up`,
  );
  console.log(
    `${answered.length} calls answered 2xx, ${Number(stored!.calls)} of them stored; campaign 5 holds ${Number(counts!.calls)} calls ` +
      `and its day rollups count ${Number(counts!.rolled_up)}`,
  );
  if (Number(stored!.calls) !== answered.length || counts!.calls !== counts!.rolled_up) throw new Error('ingested calls and rollups disagree');
}

/** How many VACUUMs a gateway ran after live writes, and their seconds, from its own metrics. */
async function vacuums(gateway: GatewayProcess): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${gateway.base}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: value('autocall_ingest_vacuum_seconds_count'), seconds: value('autocall_ingest_vacuum_seconds_sum') };
}

/** A process's peak resident memory so far (VmHWM), in MB. */
const peakRssMegabytes = (pid: number) => Math.round(Number(/^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

/**
 * `connections` autocannon connections split evenly over `gateways`, POSTing what `options` says to
 * each for SECONDS: requests per second summed over the gateways, and the worst gateway's latencies.
 * Any failed or non-2xx answer fails the bench.
 */
async function hammer(
  gateways: GatewayProcess[],
  connections: number,
  options: (base: string) => Pick<autocannon.Options, 'url' | 'headers' | 'body' | 'requests'>,
) {
  const results = await Promise.all(
    gateways.map((gateway) => autocannon({ method: 'POST', connections: connections / gateways.length, duration: SECONDS, ...options(gateway.base) })),
  );
  const failed = results.reduce((sum, result) => sum + result.errors + result.non2xx + result.timeouts, 0);
  if (failed > 0) throw new Error(`${failed} requests to ${options(gateways[0]!.base).url} failed or were not answered 2xx`);
  const worst = (pick: (result: autocannon.Result) => number) => Math.max(...results.map(pick));
  return {
    perSecond: Math.round(results.reduce((sum, result) => sum + result.requests.average, 0)),
    p50: worst((result) => result.latency.p50),
    p99: worst((result) => result.latency.p99),
    max: worst((result) => result.latency.max),
  };
}

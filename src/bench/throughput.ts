import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Database } from '../db/client.js';
import { buildApp } from '../server/app.js';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { LocalExportStore } from '../exports/local-store.js';

/** As a dashboard fleet does: many connections asking the same thing. */
const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);

const QUERIES: [string, string][] = [
  ['{ __typename }', '{ __typename }'],
  ['kpis (month), cached', '{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00+07:00", to: "2026-07-01T00:00:00+07:00") { dialed answered answerRatePct } } }'],
  ['heatmap (month), cached', '{ campaign(id: "5") { heatmap(from: "2026-06-01T00:00:00+07:00", to: "2026-07-01T00:00:00+07:00") { value } } }'],
];

/**
 * Requests per second with the response cache on (in memory), autocannon with 20 connections in a
 * worker thread of its own, so the gateway keeps this process's event loop: `{ __typename }` beside
 * reports answered from the cache (each asked once before, so every timed request is warm).
 */
export async function timeCachedThroughput(db: Database): Promise<void> {
  const jwtKey = secretKey('bench-secret-bench-secret-bench-secret-0123');
  const app = buildApp({ db, jwtKey, exportStore: new LocalExportStore(path.join(os.tmpdir(), 'autocall-bench-exports')), responseCacheSeconds: 300 });
  const url = `${await app.start(0)}/graphql`;
  const token = await signToken(jwtKey, { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess] });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  console.log(`\nthroughput over HTTP with the response cache, ${CONNECTIONS} connections × ${SECONDS} s (autocannon)`);
  console.log(`${'query'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  of { __typename }`);
  try {
    let floor = 0;
    for (const [name, query] of QUERIES) {
      const body = JSON.stringify({ query });
      const first = (await (await fetch(url, { method: 'POST', headers, body })).json()) as { errors?: unknown };
      if (first.errors) throw new Error(`${name} failed: ${JSON.stringify(first.errors)}`);
      const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} answers other than 2xx, ${result.errors} errors`);
      const perSecond = result.requests.average;
      floor ||= perSecond;
      console.log(
        `${name.padEnd(28)} ${Math.round(perSecond).toString().padStart(8)} ${result.latency.p50.toFixed(1).padStart(7)} ${result.latency.p99.toFixed(1).padStart(7)}  ${Math.round((perSecond / floor) * 100)} %`,
      );
    }
  } finally {
    await app.stop();
  }
}

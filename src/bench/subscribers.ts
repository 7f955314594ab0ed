import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { BENCH_SECRET, startGateway } from './gateway-process.js';

// Many graphql-ws subscribers of campaignUpdated on one gateway, run as npm start runs it (compiled,
// its own process, so its RSS is the server's alone): what an idle subscriber costs in memory, and
// how long after one ingest every subscriber has the new numbers.

const SUBSCRIPTION = 'subscription { campaignUpdated(id: "5") { dataUpdatedAt kpis { dialed answered } } }';
/** Sockets opened at a time, so the gateway is not handed 10,000 handshakes in one go. */
const OPEN_AT_ONCE = 250;

interface Push {
  dialed: number;
  at: number;
}

export async function timeSubscribers(databaseUrl: string, count: number): Promise<void> {
  const server = await startGateway(databaseUrl);
  const { base } = server;
  const clients: Client[] = [];
  try {
    const key = secretKey(BENCH_SECRET);
    const token = await signToken(key, { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess] });
    const ingestToken = await signToken(key, { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.ingest] });
    const rssBefore = rssOf(server.process.pid!);

    const pushes: Push[][] = [];
    for (let opened = 0; opened < count; opened += OPEN_AT_ONCE) {
      const batch = Array.from({ length: Math.min(OPEN_AT_ONCE, count - opened) }, () => subscribe(base, token, clients, pushes));
      await Promise.all(batch);
    }
    await until(() => pushes.every((list) => list.length >= 1), 120_000, 'every subscriber to get the campaign');
    // Idle: every socket open and subscribed, nothing to push.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rssIdle = rssOf(server.process.pid!);
    const dialedBefore = pushes[0]![0]!.dialed;

    const sentAt = performance.now();
    const response = await fetch(`${base}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ingestToken}` },
      body: benchIngest(),
    });
    const answeredAt = performance.now();
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    await until(() => pushes.every((list) => list.some((push) => push.dialed === dialedBefore + 1)), 60_000, 'every subscriber to get the push');
    const delays = pushes.map((list) => list.find((push) => push.dialed === dialedBefore + 1)!.at - sentAt).sort((a, b) => a - b);
    const at = (q: number) => delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)]!.toFixed(0);

    console.log(`\n${count} graphql-ws subscribers of campaignUpdated on one gateway process`);
    console.log(`gateway RSS: ${mb(rssBefore)} MB before, ${mb(rssIdle)} MB with every subscriber idle = ${((rssIdle - rssBefore) / count / 1024).toFixed(1)} kB per idle subscriber`);
    console.log(
      `one ingest (answered in ${(answeredAt - sentAt).toFixed(0)} ms) reached ${delays.length} of ${count}: ` +
        `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, last ${at(1)} ms after the request was sent (the commit is inside that)`,
    );
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await server.stop();
  }
}

function subscribe(base: string, token: string, clients: Client[], pushes: Push[][]): Promise<void> {
  const list: Push[] = [];
  pushes.push(list);
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { connected: () => resolve() },
    });
    clients.push(client);
    client.subscribe<{ campaignUpdated: { kpis: { dialed: number } } }>(
      { query: SUBSCRIPTION },
      {
        next: ({ data }) => list.push({ dialed: data!.campaignUpdated.kpis.dialed, at: performance.now() }),
        error: reject,
        complete: () => {},
      },
    );
  });
}

/** One new lead of campaign 5 and one answered call of it. */
function benchIngest(): string {
  const id = `BENCH-${Date.now()}`;
  const now = new Date().toISOString();
  return [
    { type: 'lead', id, campaign_id: 5, phone: '+84900000000', imported_at: now },
    { type: 'call', id, campaign_id: 5, lead_id: id, started_at: '2026-06-15T03:00:00Z', answered_at: '2026-06-15T03:00:05Z', ended_at: '2026-06-15T03:01:00Z', result: 'answered', billsec: 55, hangup_cause: 'NORMAL_CLEARING' },
  ]
    .map((record) => JSON.stringify(record))
    .join('\n');
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function until(done: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

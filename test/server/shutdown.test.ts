import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { createJob } from '../../src/exports/jobs.js';
import { migrate } from '../../src/db/migrator.js';
import { importNdjson } from '../../src/import/importer.js';
import { PERMISSIONS, signToken } from '../../src/auth/tokens.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, jwtKey, TEST_SECRET } from '../support/testkit.js';

const QUERY = `{ campaign(id: "5") { kpis { dialed } heatmap { value } trend(from: "2026-06-01", to: "2026-06-30") { dialed } funnel { count } } }`;
const token = () => signToken(jwtKey, { sub: 'tester', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });

/** A POST on a connection of its own: `sent` once the OS has the whole request, `result` the status and body, or the socket error. */
function send(base: string, bearer: string, query: string) {
  let sent!: () => void;
  const whenSent = new Promise<void>((resolve) => (sent = resolve));
  const result = new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
    const request = http.request(`${base}/graphql`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    // Sent once connected (the gateway's kernel holds the connection) and written.
    let pending = 2;
    const step = () => (pending -= 1) === 0 && sent();
    request.once('socket', (socket) => socket.once('connect', step));
    request.once('finish', step);
    request.end(JSON.stringify({ query }));
  });
  return { sent: whenSent, result };
}

const post = (base: string, bearer: string, query: string) => send(base, bearer, query).result;

const answered = (results: Awaited<ReturnType<typeof post>>[]) =>
  results.filter((result) => result.status === 200 && JSON.parse(result.body!).data?.campaign?.heatmap?.length === 168).length;

/** Holds the call table for `ms`, so reports wait: on PostgreSQL for the lock, on PGlite for the connection. */
function holdCalls(db: Database, ms: number) {
  return db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE call_attempt IN ACCESS EXCLUSIVE MODE');
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    { timeout: ms + 10_000 },
  );
}

/** A graphql-ws client that is connected, and the close codes it sees. */
async function connectedSocket(base: string, bearer: string) {
  const closes: number[] = [];
  await new Promise<void>((resolve) =>
    createClient({
      url: `${base.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${bearer}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: { connected: () => resolve(), closed: (event) => closes.push((event as { code: number }).code) },
    }),
  );
  return closes;
}

/** An SSE subscription that has received its first event; resolves when the server ends the stream. */
async function openStream(base: string, bearer: string, jobId: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query: `subscription { exportJobUpdated(id: "${jobId}") { status } }` }),
  });
  let first!: () => void;
  const started = new Promise<void>((resolve) => (first = resolve));
  const ended = readSse(response, () => first()).then(
    () => 'ended',
    () => 'ended',
  );
  await started;
  return { ended };
}

describe('App.stop', () => {
  it('finishes every request the server has received, closes WebSockets with 1001 and ends event streams', async () => {
    const kit = await createTestkit(REPORT_FIXTURE);
    const bearer = await token();
    const closes = await connectedSocket(new URL(kit.url).origin, bearer);
    // A job nobody runs: its subscription stays open until the server ends it.
    const job = await createJob(kit.db.prisma, {
      tenantId: 'acme', campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'UTC', estimatedSeconds: 2,
    });
    const stream = await openStream(new URL(kit.url).origin, bearer, job.id);

    const COUNT = 200;
    let received = 0;
    kit.app.server.on('request', () => (received += 1));
    const held = holdCalls(kit.db, 1_000);
    const requests = Array.from({ length: COUNT }, () => post(new URL(kit.url).origin, bearer, QUERY));
    await expect.poll(() => received, { timeout: 10_000 }).toBe(COUNT);

    const stopped = kit.app.stop();
    expect(await stream.ended).toBe('ended');
    expect(answered(await Promise.all(requests))).toBe(COUNT);
    expect(await stopped).toEqual({ cut: 0 });
    expect(closes).toEqual([1001]);
    expect((await post(new URL(kit.url).origin, bearer, '{ __typename }')).error).toBe('ECONNREFUSED');
    await held;
    await kit.db.prisma.exportJob.update({ where: { id: job.id }, data: { status: 'failed' } });
    await kit.db.dispose();
  });
});

describe('App.stop under keep-alive load', () => {
  it('resets no request: clients sending back to back on kept-alive connections get answers, then a refused connection', async () => {
    const kit = await createTestkit(REPORT_FIXTURE);
    const bearer = await token();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    const { port } = new URL(kit.url);
    /** One POST on the agent's connections: its status, or the error code and whether the connection was a kept-alive one. */
    const one = () =>
      new Promise<string>((resolve) => {
        const request = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` } });
        request.on('response', (response) => {
          response.resume();
          response.on('end', () => resolve(String(response.statusCode)));
          response.on('error', (error) => resolve(`${error.message} (response)`));
        });
        request.on('error', (error) => resolve(`${(error as NodeJS.ErrnoException).code ?? error.message} (${request.reusedSocket ? 'kept-alive' : 'new'} connection)`));
        request.end(JSON.stringify({ query: '{ __typename }' }));
      });
    const outcomes = new Map<string, number>();
    let answered = 0;
    // 50 clients, each sending its next request as soon as the last is answered, until one is refused.
    const clients = Array.from({ length: 50 }, async () => {
      for (;;) {
        const outcome = await one();
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (outcome === '200') answered += 1;
        else return;
      }
    });
    await expect.poll(() => answered, { timeout: 20_000 }).toBeGreaterThan(200);
    const stopped = await kit.app.stop();
    await Promise.all(clients);
    agent.destroy();
    // Before: a flood of reconnections told Connection: close during the settle, reset in the listener's queue (ECONNRESET).
    expect([...outcomes.keys()].sort()).toEqual(['200', 'ECONNREFUSED (new connection)']);
    expect(stopped).toEqual({ cut: 0 });
    await kit.db.dispose();
  });
});

describe('the gateway process on SIGTERM', () => {
  let serverDb: TestDatabase | undefined;
  let dataDir: string | undefined;
  let gateway: ChildProcess;
  let base: string;

  /** The gateway as `npm start` runs it, in a process of its own, on a database holding the report fixture. */
  beforeAll(async () => {
    const lines = async function* () {
      yield* REPORT_FIXTURE;
    };
    let env: Record<string, string>;
    if (process.env.TEST_DATABASE_URL) {
      serverDb = await openTestDatabase();
      await importNdjson(serverDb, lines());
      env = { DATABASE_URL: serverDb.url! };
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-shutdown-'));
      const embedded = await openDatabase({ kind: 'embedded', dataDir });
      await migrate(embedded);
      await importNdjson(embedded, lines());
      await embedded.close();
      env = { DATABASE_URL: '', DATA_DIR: dataDir };
    }
    gateway = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      // Cost budgets off: a hundred heavy requests from one token at once are more than its default
      // budget lets through (test/fair-share covers that); these tests are about draining.
      env: { ...process.env, ...env, PORT: '0', AUTH_JWT_SECRET: TEST_SECRET, REDIS_URL: '', RATE_LIMIT_COST_PER_SECOND: '0', RATE_LIMIT_TENANT_COST_PER_SECOND: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let output = '';
      gateway.stdout!.on('data', (chunk) => {
        output += chunk;
        const url = /gateway on (http:\/\/localhost:\d+)\/graphql/.exec(output)?.[1];
        if (url) resolve(url.replace('localhost', '127.0.0.1'));
      });
      gateway.once('exit', (code) => reject(new Error(`gateway exited with ${code} before listening:\n${output}`)));
    });
  }, 120_000);
  afterAll(async () => {
    if (gateway.exitCode === null) gateway.kill('SIGKILL');
    await serverDb?.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('drains and exits 0: requests in flight answered, WebSockets closed with 1001', async () => {
    const bearer = await token();
    const closes = await connectedSocket(base, bearer);
    // On PostgreSQL this test can make requests wait in the gateway (the embedded database belongs to it alone).
    const held = serverDb ? holdCalls(serverDb, 1_500) : undefined;
    const requests = Array.from({ length: 100 }, () => send(base, bearer, QUERY));
    // Every request is with the gateway's OS (accepted or in its accept queue) before the signal.
    await Promise.all(requests.map((request) => request.sent));
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    const results = await Promise.all(requests.map((request) => request.result));
    expect(answered(results)).toBe(100);
    expect(await exited).toBe(0);
    expect(closes).toEqual([1001]);
    await held;
  });
});

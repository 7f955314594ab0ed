import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createJob } from '../../src/exports/jobs.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE);
});
afterAll(() => kit.close());

const SUBSCRIPTION = `subscription ($id: ID!) { exportJobUpdated(id: $id) { id status progressPct downloadUrl } }`;

/** A job as exportReport stores it, not yet handed to the worker, so its QUEUED state can be seen. */
const queuedJob = (tenantId = 'acme') =>
  createJob(kit.db.prisma, {
    tenantId, campaignId: 5, reportType: 'full', format: 'xlsx', fromDate: '2026-06-01', toDate: '2026-06-30',
    timezone: 'Asia/Ho_Chi_Minh', estimatedSeconds: 3,
  });

type Update = { status: string; progressPct: string; downloadUrl: string | null };

function expectQueuedToReady(updates: Update[]) {
  expect(updates[0]).toMatchObject({ status: 'QUEUED', progressPct: '0.00', downloadUrl: null });
  expect(updates.at(-1)).toMatchObject({ status: 'READY', progressPct: '100.00' });
  expect(updates.at(-1)!.downloadUrl).toMatch(/\/exports\/export_[0-9a-f]{8}\/download\?expires=\d+&signature=/);
  expect(updates.map((u) => u.status).filter((s, i, all) => s !== all[i - 1])).toEqual(['QUEUED', 'RUNNING', 'READY']);
  const progress = updates.map((u) => Number(u.progressPct));
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
}

describe('Subscription.exportJobUpdated over SSE', () => {
  it('pushes QUEUED → RUNNING → READY, then completes', async () => {
    const job = await queuedJob();
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { id: job.id } }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const updates: Update[] = [];
    await readSse(response, (data) => {
      updates.push(data.data.exportJobUpdated);
      if (updates.length === 1) kit.app.worker.enqueue(job.id);
    });
    expectQueuedToReady(updates);
  });

  it('gives a subscriber who comes after the end the final state at once', async () => {
    const job = await queuedJob();
    kit.app.worker.enqueue(job.id);
    await kit.app.worker.idle();
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { id: job.id } }),
    });
    const updates: Update[] = [];
    await readSse(response, (data) => updates.push(data.data.exportJobUpdated));
    expect(updates.map((u) => u.status)).toEqual(['READY']);
  });

  it('treats another tenant\'s job as missing', async () => {
    const job = await queuedJob('globex');
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { id: job.id } }),
    });
    const events: any[] = [];
    await readSse(response, (data) => events.push(data));
    expect(events.map((event) => event.errors?.[0]?.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});

describe('Subscription.exportJobUpdated over graphql-ws', () => {
  const connect = (connectionParams: Record<string, unknown>, options: Partial<Parameters<typeof createClient>[0]> = {}) =>
    createClient({ url: kit.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, ...options });
  const withToken = async (claims = {}) => connect({ Authorization: `Bearer ${await kit.token(claims)}` });

  /** Connects at once and resolves with the close code the server ends the socket with. */
  async function closeCode(connectionParams: Record<string, unknown>): Promise<number> {
    let client: ReturnType<typeof createClient> | undefined;
    const code = await new Promise<number>((resolve) => {
      client = connect(connectionParams, {
        lazy: false,
        on: { closed: (event) => resolve((event as { code: number }).code) },
        onNonLazyError: () => {},
      });
    });
    await client!.dispose();
    return code;
  }

  it('authenticates in connection_init and pushes QUEUED → RUNNING → READY', async () => {
    const client = await withToken();
    try {
      const job = await queuedJob();
      const updates: Update[] = [];
      for await (const result of client.iterate<{ exportJobUpdated: Update }>({ query: SUBSCRIPTION, variables: { id: job.id } })) {
        expect(result.errors).toBeUndefined();
        updates.push(result.data!.exportJobUpdated);
        if (updates.length === 1) kit.app.worker.enqueue(job.id);
      }
      expectQueuedToReady(updates);
    } finally {
      await client.dispose();
    }
  });

  it('closes the socket with 4403 without a valid token', async () => {
    expect(await closeCode({})).toBe(4403);
    expect(await closeCode({ Authorization: 'Bearer not.a.token' })).toBe(4403);
  });

  it('treats another tenant\'s job as missing over the socket too', async () => {
    const client = await withToken();
    try {
      const job = await queuedJob('globex');
      const iterate = async () => {
        for await (const result of client.iterate({ query: SUBSCRIPTION, variables: { id: job.id } })) void result;
      };
      // graphql-ws reports an error raised while the subscription starts as an `error` message.
      await expect(iterate()).rejects.toEqual([
        expect.objectContaining({ message: `Export job "${job.id}" not found`, extensions: { code: 'NOT_FOUND', argumentName: 'id' } }),
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('closes the socket when the token expires', async () => {
    const token = await kit.token({ expiresIn: '2s' });
    const started = Date.now();
    expect(await closeCode({ Authorization: `Bearer ${token}` })).toBe(4403);
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it('keeps the socket open with a token that expires in 30 days (past the 24.8-day timer limit)', async () => {
    const closes: number[] = [];
    const client = connect(
      { Authorization: `Bearer ${await kit.token({ expiresIn: '30d' })}` },
      { lazy: false, on: { closed: (event) => closes.push((event as { code: number }).code) }, onNonLazyError: () => {} },
    );
    try {
      const job = await queuedJob();
      const statuses: string[] = [];
      for await (const result of client.iterate<{ exportJobUpdated: Update }>({ query: SUBSCRIPTION, variables: { id: job.id } })) {
        statuses.push(result.data!.exportJobUpdated.status);
        if (statuses.length === 1) kit.app.worker.enqueue(job.id);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(statuses.at(-1)).toBe('READY');
      expect(closes).toEqual([]);
    } finally {
      await client.dispose();
    }
  });

  it('answers FORBIDDEN over the socket without autocall_api_access', async () => {
    const client = await withToken({ permissions: [] });
    try {
      const job = await queuedJob();
      const results = [];
      for await (const result of client.iterate({ query: SUBSCRIPTION, variables: { id: job.id } })) results.push(result);
      expect(results.map((result) => result.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN']);
    } finally {
      await client.dispose();
    }
  });
});

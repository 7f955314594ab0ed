import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CAMPAIGN_PUSH_INTERVAL_MS } from '../../src/schema/live.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const SELECTION = `subscription Live($id: ID!) {
  campaignUpdated(id: $id) { id dataUpdatedAt kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed answered } }
}`;
type Push = { campaignUpdated: { id: string; dataUpdatedAt: string | null; kpis: { dialed: number; answered: number } } };

const busyCall = (id: string, leadId: string, startedAt: string) =>
  call(id, 5, leadId, {
    started_at: startedAt, answered_at: null, ended_at: startedAt, result: 'busy', hangup_cause: 'USER_BUSY',
    billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
  });

describe('Subscription.campaignUpdated', () => {
  let kit: Testkit;
  let readToken: string;
  const clients: Client[] = [];

  const ingest = async (...records: object[]) => expect(await kit.ingest(...records)).toBe(200);
  const wsClient = () => {
    const client = createClient({
      url: kit.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${readToken}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };
  /** Subscribes over graphql-ws; pushes land in the returned array. */
  const follow = (client: Client, id: string) => {
    const pushes: { data?: Push; errors?: unknown[] }[] = [];
    client.subscribe<Push>({ query: SELECTION, variables: { id } }, {
      next: (value) => void pushes.push(value as never),
      error: (error) => void pushes.push({ errors: [error] }),
      complete: () => {},
    });
    return pushes;
  };

  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE);
    readToken = await kit.token();
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await kit.close();
  });

  it('sends the campaign at once over SSE, then one push per second however many changes land in it', async () => {
    const controller = new AbortController();
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${readToken}` },
      body: JSON.stringify({ query: SELECTION, variables: { id: '5' } }),
      signal: controller.signal,
    });
    const pushes: { at: number; data: Push }[] = [];
    const reading = readSse(response, (event) => pushes.push({ at: Date.now(), data: event.data })).catch(() => {});
    await expect.poll(() => pushes.length).toBe(1);
    expect(pushes[0]!.data.campaignUpdated).toMatchObject({ id: '5', kpis: { dialed: 10, answered: 6 } });

    // Three commits in quick succession: they reach the subscriber as one push, about a second after the first.
    await ingest(lead('LV-1', 5), busyCall('LV-C1', 'LV-1', '2026-06-20T02:00:00Z'));
    await ingest(busyCall('LV-C2', 'LV-1', '2026-06-20T03:00:00Z'));
    await ingest(busyCall('LV-C3', 'LV-1', '2026-06-20T04:00:00Z'));
    await expect.poll(() => pushes.length, { timeout: 5_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, CAMPAIGN_PUSH_INTERVAL_MS + 500));
    expect(pushes).toHaveLength(2);
    expect(pushes[1]!.data.campaignUpdated.kpis).toEqual({ dialed: 13, answered: 6 });
    expect(pushes[1]!.at - pushes[0]!.at).toBeGreaterThanOrEqual(CAMPAIGN_PUSH_INTERVAL_MS - 50);
    const stored = await kit.db.prisma.campaign.findUniqueOrThrow({ where: { id: 5 } });
    expect(pushes[1]!.data.campaignUpdated.dataUpdatedAt).toBe(stored.dataUpdatedAt!.toISOString());
    controller.abort();
    await reading;
  });

  it('answers another tenant\'s campaign with NOT_FOUND, as a missing one', async () => {
    const pushes = follow(wsClient(), '12');
    await expect.poll(() => pushes.length).toBe(1);
    expect(JSON.stringify(pushes[0])).toContain('Campaign \\"12\\" not found');
    expect(JSON.stringify(pushes[0])).toContain('NOT_FOUND');
  });

  it('names a report argument the caller got wrong in a push, as a query does', async () => {
    const pushes: { errors?: { message: string; extensions?: Record<string, unknown> }[] }[] = [];
    const unsubscribe = wsClient().subscribe(
      { query: 'subscription { campaignUpdated(id: "5") { trend(from: "2026-05-01", to: "2026-06-30", granularity: HOUR) { dialed } } }' },
      { next: (value) => void pushes.push(value as never), error: (error) => void pushes.push({ errors: [error as never] }), complete: () => {} },
    );
    await expect.poll(() => pushes.length).toBe(1);
    expect(pushes[0]!.errors).toEqual([
      expect.objectContaining({
        message: 'Argument "granularity" HOUR covers at most 31 days; this window has 61',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'granularity' },
      }),
    ]);
    unsubscribe();
  });

  it('computes a change once for 100 subscribers of the same selection and pushes it to each', async () => {
    const subscribers = Array.from({ length: 100 }, () => follow(wsClient(), '5'));
    await expect.poll(() => subscribers.every((pushes) => pushes.length === 1), { timeout: 10_000 }).toBe(true);
    const dialed = subscribers[0]![0]!.data!.campaignUpdated.kpis.dialed;
    expect(subscribers.every((pushes) => pushes[0]!.data!.campaignUpdated.kpis.dialed === dialed)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, CAMPAIGN_PUSH_INTERVAL_MS));

    const statements: string[] = [];
    const stop = kit.db.queryLog.observe((sql) => statements.push(sql));
    await ingest(lead('LV-2', 5), busyCall('LV-C4', 'LV-2', '2026-06-21T02:00:00Z'));
    await expect.poll(() => subscribers.every((pushes) => pushes.length === 2), { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop();
    expect(subscribers.every((pushes) => pushes[1]!.data!.campaignUpdated.kpis.dialed === dialed + 1)).toBe(true);
    // After the ingest's last write, the push reads the campaign row and the one aggregate that
    // kpis { dialed answered } needs, once for all 100; 100 unshared subscriptions would read 200.
    const afterWrite = statements.slice(statements.findLastIndex((sql) => sql.includes('INSERT INTO call_attempt')) + 1);
    const pushReads = afterWrite.filter((sql) => sql !== 'COMMIT'); // PostgreSQL's adapter logs the commit too
    expect(pushReads.map((sql) => /^(SELECT|WITH)/.test(sql))).toEqual([true, true]);
  });
});

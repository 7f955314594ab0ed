import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE, {
    costBudgets: { token: { maximumAvailable: 200, restoreRate: 5 }, tenant: { maximumAvailable: 200, restoreRate: 5 } },
    fairShare: { perTenant: 1, contendedPerTenant: 1, maxWaitMs: 5_000 },
  });
});
afterAll(() => kit.close());

/** The fixture's heaviest: every acme campaign with three trends, a heatmap, funnel and kpis; `n` makes the windows new. */
const heavy = (n: number) => `{ campaigns(first: 3) { edges { node { id
  hours: trend(from: "2026-06-01", to: "2026-06-${String(2 + (n % 20)).padStart(2, '0')}", granularity: HOUR) { dialed }
  days: trend(from: "2025-06-${String(1 + (n % 20)).padStart(2, '0')}", to: "2026-06-30") { dialed }
  heatmap(from: "2026-01-01T00:00:00Z", to: "2026-07-0${1 + (n % 9)}T00:00:00Z") { value }
  funnel(from: "2026-06-01T00:00:00Z", to: "2026-07-0${1 + (n % 9)}T00:00:00Z") { stage count }
  kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-0${1 + (n % 9)}T00:00:00Z") { dialed }
} } } }`;

const post = async (token: string, query: string) => {
  const response = await fetch(kit.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as any };
};

describe('a storm of one tenant', () => {
  it('throttles it, completes what it accepted, answers another tenant and the probes, and holds nothing afterwards', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, (_, n) => kit.token({ sub: `wall-${n}` })));
    const storm = Promise.all(tokens.flatMap((token, client) => Array.from({ length: 5 }, (_, n) => post(token, heavy(client * 5 + n)))));
    const globex = await kit.token({ sub: 'globex', tenantId: 'globex' });
    const other = await post(globex, '{ campaign(id: "12") { kpis(from: "2026-06-01T00:00:00Z") { dialed } } }');
    expect(other).toMatchObject({ status: 200, body: { data: { campaign: { kpis: { dialed: 1 } } } } });
    const [health, ready] = await Promise.all([fetch(kit.url.replace('/graphql', '/healthz')), fetch(kit.url.replace('/graphql', '/readyz'))]);
    expect(health.status).toBe(200);
    expect([200, 503]).toContain(ready.status);
    const answers = await storm;
    const accepted = answers.filter((answer) => answer.status === 200);
    const throttled = answers.filter((answer) => answer.status === 429);
    // Every request is answered, either whole or refused by its budget: none cut, none failed.
    expect(accepted.length + throttled.length).toBe(40);
    expect(throttled.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    for (const { body } of accepted) {
      expect(body.errors).toBeUndefined();
      expect(body.data.campaigns.edges.map((edge: any) => edge.node.id)).toEqual(['5', '8', '20']);
      expect(body.data.campaigns.edges[0].node.kpis.dialed).toBe(10);
      expect(body.extensions.cost.actualQueryCost).toBeGreaterThan(0);
    }
    for (const { body } of throttled) expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', cost: { requestedQueryCost: expect.any(Number) } });
    // The turns at the database are all given back; nothing waits.
    const readyAfter = await fetch(kit.url.replace('/graphql', '/readyz'));
    expect(await readyAfter.json()).toEqual({ status: 'ready', waiting: 0 });
  });
});

describe('an SSE subscription', () => {
  // A gateway of its own: the storm above has spent acme's budget.
  let live: Testkit;
  beforeAll(async () => {
    live = await createTestkit(REPORT_FIXTURE);
  });
  afterAll(() => live.close());

  it('ends when its token expires, with a last answer that says so', async () => {
    const token = await live.token({ sub: 'live', expiresIn: '3s' });
    const started = Date.now();
    const response = await fetch(live.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { campaignUpdated(id: "5") { name } }' }),
    });
    const events: any[] = [];
    await readSse(response, (data) => events.push(data));
    expect(events[0]).toEqual({ data: { campaignUpdated: { name: 'Renewal Q3' } } });
    expect(events.at(-1)).toMatchObject({ errors: [{ message: 'Token has expired', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(events).toHaveLength(2);
    // Bounds, not speed figures: the token lived about 3 s (its exp is whole seconds).
    expect(Date.now() - started).toBeGreaterThan(1_500);
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});

import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { TENANTS_FIXTURE } from '../support/fixtures.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

// Budgets of 3 requests per token and 5 per tenant in a 2-second window (counted in Redis on the
// PostgreSQL run, where the testkit configures it).
const WINDOW_SECONDS = 2;
let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(TENANTS_FIXTURE, { rateLimits: { perToken: 3, perTenant: 5, windowSeconds: WINDOW_SECONDS } });
});
afterAll(() => kit.close());

const QUERY = '{ campaigns { totalCount } }';
async function ask(token: string) {
  const response = await fetch(kit.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}
/** Waits for the start of a fresh window, so a test's requests all fall in one. */
const freshWindow = () => new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 100));

describe('rate limits', () => {
  it('refuse a token over its budget with 429 and RATE_LIMITED, and let it through again after the window', async () => {
    const token = await kit.token({ sub: 'dashboard-1' });
    for (let i = 0; i < 3; i += 1) expect((await ask(token)).status).toBe(200);
    const refused = await ask(token);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Rate limit reached for this token or tenant; retry in [12] s$/),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(refused.body.errors[0].extensions.retryAfterSeconds).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.retryAfter).toBe(String(refused.body.errors[0].extensions.retryAfterSeconds));
    expect(refused.body.data).toBeUndefined();

    await freshWindow();
    const again = await ask(token);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({ campaigns: { totalCount: 3 } });
  });

  it('share a tenant\'s budget among its tokens, and one tenant\'s burst leaves another alone', async () => {
    await freshWindow();
    const first = await kit.token({ sub: 'dashboard-2' });
    const second = await kit.token({ sub: 'dashboard-3' });
    for (let i = 0; i < 3; i += 1) expect((await ask(first)).status).toBe(200);
    expect((await ask(second)).status).toBe(200);
    expect((await ask(second)).status).toBe(200);
    // The tenant's five are spent, though this token used only two of its three.
    expect((await ask(second)).status).toBe(429);
    const globex = await ask(await kit.token({ tenantId: 'globex', sub: 'globex-dashboard' }));
    expect(globex.status).toBe(200);
    expect(globex.body.data).toEqual({ campaigns: { totalCount: 1 } });
  });

  it('count a subscription once, when it starts, over graphql-ws', async () => {
    await freshWindow();
    const token = await kit.token({ sub: 'live-dashboard' });
    const client = createClient({ url: kit.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false });
    try {
      /** The first result of an operation; the subscription stays open until the client is disposed. */
      const run = (query: string) =>
        new Promise<{ data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }>((resolve, reject) => {
          client.subscribe({ query }, { next: (value) => resolve(value as never), error: reject, complete: () => {} });
        });
      expect(await run('subscription { campaignUpdated(id: "5") { name } }')).toEqual({ data: { campaignUpdated: { name: 'Renewal Q3' } } });
      expect((await run(QUERY)).data).toEqual({ campaigns: { totalCount: 3 } });
      expect((await run(QUERY)).data).toEqual({ campaigns: { totalCount: 3 } });
      const refused = await run(QUERY).catch((errors: { extensions?: Record<string, unknown> }[]) => ({ errors }));
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    } finally {
      await client.dispose();
    }
  });
});

describe('RATE_LIMIT_PER_MINUTE and RATE_LIMIT_TENANT_PER_MINUTE', () => {
  it('default to 1,200 per token and 6,000 per tenant a minute; 0 turns a budget off', () => {
    expect(loadConfig({}).rateLimits).toEqual({ perToken: 1_200, perTenant: 6_000 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_TENANT_PER_MINUTE: '100' }).rateLimits).toEqual({ perToken: 0, perTenant: 100 });
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'many' })).toThrow('RATE_LIMIT_PER_MINUTE');
  });
});

describe('cost budgets and fair share configuration', () => {
  it('default to 100 points a second (burst 2,000) per token, 300 (4,000) per tenant, 4 statements per tenant (1 while another is active) waiting DATABASE_TIMEOUT_MS at most', () => {
    expect(loadConfig({}).costBudgets).toEqual({ token: { restoreRate: 100, maximumAvailable: 2_000 }, tenant: { restoreRate: 300, maximumAvailable: 4_000 } });
    expect(loadConfig({}).fairShare).toEqual({ perTenant: 4, contendedPerTenant: 1, maxWaitMs: 5_000 });
    expect(loadConfig({ DATABASE_TENANT_CONNECTIONS: '2', DATABASE_TENANT_CONNECTIONS_CONTENDED: '3' }).fairShare).toMatchObject({ perTenant: 2, contendedPerTenant: 2 });
    expect(loadConfig({ DATABASE_TIMEOUT_MS: '3000' }).fairShare.maxWaitMs).toBe(3_000);
    expect(loadConfig({ DATABASE_TIMEOUT_MS: '3000', DATABASE_QUEUE_TIMEOUT_MS: '2000' }).fairShare.maxWaitMs).toBe(2_000);
    expect(loadConfig({ RATE_LIMIT_COST_PER_SECOND: '0', DATABASE_TENANT_CONNECTIONS: '2' })).toMatchObject({
      costBudgets: { token: { restoreRate: 0 } },
      fairShare: { perTenant: 2 },
    });
    expect(() => loadConfig({ DATABASE_QUEUE_TIMEOUT_MS: 'soon' })).toThrow('DATABASE_QUEUE_TIMEOUT_MS');
  });
});

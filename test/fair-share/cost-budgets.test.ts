import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

// A token's bucket of 30 points refilling 1 a second, a tenant's of 40 refilling 2: small enough that
// a few queries spend them (counted in Redis on the PostgreSQL run, where the testkit configures it).
const BUDGETS = { token: { maximumAvailable: 30, restoreRate: 1 }, tenant: { maximumAvailable: 40, restoreRate: 2 } };
// Each test has a gateway of its own, so that every bucket starts full.
let kit: Testkit;
beforeEach(async () => {
  kit = await createTestkit(REPORT_FIXTURE, { costBudgets: BUDGETS });
});
afterEach(() => kit.close());

// kpis: 4 statements' windows up front, 1 read (only `dialed` is asked: the calls' totals) plus 1
// for its one row. An HOUR trend of 7 days: 168 buckets, 1 + 2 per window and 2 for its rows up
// front; 3 read plus 1 for the rows of the 168 hours that have calls (fewer than 100).
const QUERY = `{ campaign(id: "5") {
  kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed }
  trend(from: "2026-06-01", to: "2026-06-07", granularity: HOUR) { dialed }
} }`;

async function ask(token: string, query = QUERY) {
  const response = await fetch(kit.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('cost budgets', () => {
  it('charge the estimate, correct it by the work done, and say so in extensions.cost and X-Cost-* headers', async () => {
    const token = await kit.token({ sub: 'cost-1', tenantId: 'acme' });
    const first = await ask(token);
    expect(first.status).toBe(200);
    expect(first.body.data.campaign.kpis.dialed).toBe(10);
    expect(first.body.extensions.cost).toEqual({
      requestedQueryCost: 9,
      actualQueryCost: 6,
      throttleStatus: { maximumAvailable: 30, currentlyAvailable: 24, restoreRate: 1 },
    });
    expect(first.headers.get('x-cost-requested')).toBe('9');
    expect(first.headers.get('x-cost-actual')).toBe('6');
    expect(first.headers.get('x-cost-maximum-available')).toBe('30');
    expect(first.headers.get('x-cost-restore-rate')).toBe('1');
  });

  it('refuse an operation its bucket cannot pay with 429 RATE_LIMITED, Retry-After and the cost, before any database work', async () => {
    const token = await kit.token({ sub: 'cost-2', tenantId: 'acme' });
    // 9 taken, 3 given back, each time: 30 → 24 → 18 → 12 → 6 (a second's refill may add one).
    for (let i = 0; i < 4; i += 1) expect((await ask(token)).status).toBe(200);
    const sent: string[] = [];
    const stopCounting = kit.db.queryLog.observe((sql) => void sent.push(sql));
    const refused = await ask(token);
    stopCounting();
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Cost budget spent: this query needs 9 points, [6-8] are available; retry in [1-3] s$/),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(refused.headers.get('retry-after')).toBe(String(refused.body.errors[0].extensions.retryAfterSeconds));
    expect(refused.body.extensions.cost).toMatchObject({ requestedQueryCost: 9, actualQueryCost: null, throttleStatus: { maximumAvailable: 30, restoreRate: 1 } });
    expect(refused.body.data).toBeUndefined();
    expect(sent).toEqual([]);
    // Asked again at once, it is refused before its document is even read.
    const again = await ask(token, '{ __typename }');
    expect(again.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000 + 200));
    expect((await ask(token)).status).toBe(200);
  });

  it('share a tenant\'s bucket among its tokens and leave other tenants alone', async () => {
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push((await ask(await kit.token({ sub: `wall-${i}`, tenantId: 'acme' }))).status);
    // Each takes 9 from a full bucket of 40 and gives 3 back: six fit, the seventh does not.
    expect(answers.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers[6]).toBe(429);
    const globex = await ask(await kit.token({ sub: 'globex-1', tenantId: 'globex' }), '{ campaign(id: "12") { kpis { dialed } } }');
    expect(globex.status).toBe(200);
    expect(globex.body.extensions.cost.throttleStatus.maximumAvailable).toBe(30);
  });

  it('refuse with QUERY_TOO_COMPLEX a query no bucket can ever pay for', async () => {
    const token = await kit.token({ sub: 'cost-3', tenantId: 'acme' });
    const refused = await ask(token, '{ campaigns(first: 20) { edges { node { kpis { dialed } } } } }');
    expect(refused.body.errors[0]).toMatchObject({
      message: 'Query refused: its estimated cost is 80 points, more than a budget of 30 can ever hold',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'costBudget', maximum: 30, found: 80 },
    });
  });

  it('give REST answers the same cost headers', async () => {
    const token = await kit.token({ sub: 'rest-1', tenantId: 'acme' });
    const response = await fetch(kit.url.replace('/graphql', '/api/autocall/campaigns/5/reports/kpis?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z'), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-cost-requested'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-cost-actual'))).toBeGreaterThan(0);
    // The tightest bucket's: the token's, of 30, holds fewer points than the tenant's 40.
    expect(response.headers.get('x-cost-maximum-available')).toBe('30');
  });
});

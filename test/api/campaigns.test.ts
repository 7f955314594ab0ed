import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANTS_FIXTURE } from '../support/fixtures.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(TENANTS_FIXTURE);
});
afterAll(() => kit.close());

describe('Query.campaign', () => {
  it('returns a campaign of the caller\'s tenant with its IVR actions', async () => {
    const data = await kit.data(`{ campaign(id: "5") { id name startedAt dtmfActions { digit label action } } }`);
    expect(data.campaign).toEqual({
      id: '5',
      name: 'Renewal Q3',
      startedAt: '2026-06-01T01:00:00.000Z',
      dtmfActions: [
        { digit: '1', label: 'Đồng ý chuyển agent', action: 'queue_sales' },
        { digit: '2', label: 'Không quan tâm', action: 'playback_polite' },
        { digit: '0', label: 'Nghe lại', action: null },
      ],
    });
  });

  it('returns null for a campaign without a start and without actions fields intact', async () => {
    const data = await kit.data(`{ campaign(id: "9") { id startedAt dtmfActions { digit } } }`);
    expect(data.campaign).toEqual({ id: '9', startedAt: null, dtmfActions: [] });
  });

  it('treats another tenant\'s campaign exactly like a missing one', async () => {
    const foreign = await kit.execute(`{ campaign(id: "12") { id name } }`);
    const missing = await kit.execute(`{ campaign(id: "404") { id name } }`);
    expect(foreign).toEqual({ status: 200, data: { campaign: null } });
    expect(missing).toEqual(foreign);
  });

  it('refuses a malformed id with BAD_USER_INPUT naming the argument', async () => {
    const response = await kit.execute(`{ campaign(id: "five") { id } }`);
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'Argument "id" must be a campaign id such as "5", got "five"',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
      }),
    ]);
  });
});

describe('Query.campaigns', () => {
  const PAGE = `query Page($first: Int, $after: String) {
    campaigns(first: $first, after: $after) {
      totalCount
      edges { cursor node { id name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

  it('pages through the caller\'s campaigns in id order with a total count', async () => {
    const first = await kit.data(PAGE, { first: 2 });
    expect(first.campaigns.totalCount).toBe(3);
    expect(first.campaigns.edges.map((edge: any) => edge.node)).toEqual([
      { id: '5', name: 'Renewal Q3' },
      { id: '8', name: 'Cross-sell Q3' },
    ]);
    expect(first.campaigns.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.campaigns.pageInfo.endCursor).toBe(first.campaigns.edges[1].cursor);

    const second = await kit.data(PAGE, { first: 2, after: first.campaigns.pageInfo.endCursor });
    expect(second.campaigns.edges.map((edge: any) => edge.node)).toEqual([{ id: '9', name: 'Loyalty' }]);
    expect(second.campaigns.pageInfo).toMatchObject({ hasNextPage: false });
    expect(second.campaigns.totalCount).toBe(3);
  });

  it('shows another tenant only its own campaigns', async () => {
    const token = await kit.token({ tenantId: 'globex' });
    const response = await kit.execute(`{ campaigns { totalCount edges { node { id } } } }`, { token });
    expect(response.data).toEqual({ campaigns: { totalCount: 1, edges: [{ node: { id: '12' } }] } });
  });

  it('refuses a cursor it did not hand out, as a variable or a literal, naming the argument', async () => {
    const response = await kit.execute(PAGE, { variables: { first: 2, after: 'not-a-cursor' } });
    expect(response.errors).toEqual([
      {
        message: 'Invalid connection arguments: Invalid cursor: not-a-cursor',
        locations: [{ line: 2, column: 5 }],
        path: ['campaigns'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
      },
    ]);
    // Shaped like a real cursor (base64 of "GPC:S:abc") yet naming no campaign id.
    const literal = await kit.execute(`{ campaigns(last: 1, before: "R1BDOlM6YWJj") { totalCount } }`);
    expect(literal.errors).toEqual([
      {
        message: 'Argument "before" is not a cursor of this connection: "R1BDOlM6YWJj"',
        locations: [{ line: 1, column: 3 }],
        path: ['campaigns'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'before' },
      },
    ]);
  });

  it('refuses a negative page size naming the argument', async () => {
    const response = await kit.execute(`{ campaigns(first: -1) { totalCount } }`);
    expect(response.errors).toEqual([
      {
        message: 'Invalid connection arguments: Argument "first" must be a non-negative integer',
        locations: [{ line: 1, column: 3 }],
        path: ['campaigns'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
      },
    ]);
  });

  it('refuses a page larger than 100 instead of shortening it quietly', async () => {
    const response = await kit.execute(PAGE, { variables: { first: 101 } });
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      {
        message: 'Argument "first" must be at most 100',
        locations: [{ line: 2, column: 5 }],
        path: ['campaigns'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
      },
    ]);
    expect((await kit.data(PAGE, { first: 100 })).campaigns.edges).toHaveLength(3);
  });
});

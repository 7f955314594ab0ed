import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE, { queryLimits: { executionMs: 500 } });
});
afterAll(() => kit.close());

/** The attack of the hardening issue: 500 aliases of a ten-year DAY trend in one 65 kB document. */
const ALIAS_BOMB = `{ campaign(id: "5") { ${Array.from(
  { length: 500 },
  (_, i) => `t${i}: trend(from: "2016-01-01", to: "2025-12-31", granularity: DAY) { bucket dialed answered answerRatePct avgDurationSec transferCount }`,
).join(' ')} } }`;

const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: campaign(id: "5") { id }`).join(' ')} }`;
const limitOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.map((error) => error.extensions);

describe('query limits over HTTP', () => {
  it('refuses the alias bomb before running it, naming the limit', async () => {
    expect(ALIAS_BOMB.length).toBeGreaterThan(60_000);
    const response = await kit.execute(ALIAS_BOMB);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'Query refused: its token count exceeds the limit of 2000 (maxTokens)',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', maximum: 2000 },
      }),
    ]);
  });

  it('refuses more than 20 aliases', async () => {
    expect((await kit.execute(aliases(20))).errors).toBeUndefined();
    const response = await kit.execute(aliases(21));
    expect(response.errors?.[0]?.message).toBe('Query refused: its alias count is 21, the limit is 20 (maxAliases)');
    expect(limitOf(response)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'maxAliases', maximum: 20, found: 21 }]);
  });

  it('refuses selections nested deeper than 10', async () => {
    const nested = (levels: number) => `{ __type(name: "Query") { fields { type ${'{ ofType '.repeat(levels)}{ name }${' }'.repeat(levels)} } } }`;
    expect((await kit.execute(nested(6))).errors).toBeUndefined();
    expect(limitOf(await kit.execute(nested(9)))).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth', maximum: 10, found: 13 }]);
  });

  it('refuses a query whose estimated cost is too high: every report for 100 campaigns', async () => {
    const response = await kit.execute(`{ campaigns(first: 100) { edges { node {
      kpis { dialed answered answerRatePct dtmfDistribution { key count } }
      trend { bucket dialed answered answerRatePct avgDurationSec transferCount }
      heatmap { dayOfWeek hour dialed answered answerRatePct value }
      hangup { totalCalls byHangupCause { hangupCause count pct } }
      dtmf { totalAnswered byDigit { digit count pct label } byScriptPath { path count } }
      funnel { stage count dropRatePct } } } } }`);
    expect(limitOf(response)).toEqual([expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'maxCost', maximum: 20_000 })]);
  });

  it('caps a DAY trend at 3 years, naming to', async () => {
    const ok = await kit.execute(`{ campaign(id: "5") { trend(from: "2024-01-01", to: "2026-12-31") { bucket } } }`);
    expect((ok.data as any).campaign.trend).toHaveLength(1096);
    const response = await kit.execute(`{ campaign(id: "5") { trend(from: "2024-01-01", to: "2027-01-01") { bucket } } }`);
    expect(response.errors?.map((e) => ({ message: e.message, ...e.extensions }))).toEqual([
      { message: 'Argument "to" must be less than 3 years after "from" (2024-01-01): at most 2026-12-31', code: 'BAD_USER_INPUT', argumentName: 'to' },
    ]);
  });

  it('gives no field suggestions to a caller without a valid token, and refuses it before parsing', async () => {
    const anonymous = await kit.execute('{ campaignz { id } }', { token: null });
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous)).not.toContain('Did you mean');
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const bomb = await kit.execute(ALIAS_BOMB, { token: 'not-a-token' });
    expect(bomb.status).toBe(401);
    // A caller with a token is a developer of a tenant, who is helped.
    const known = await kit.execute('{ campaignz { id } }');
    expect(known.errors?.[0]?.message).toContain('Did you mean "campaign" or "campaigns"?');
  });
});

describe('the request body limit', () => {
  const post = async (body: BodyInit) =>
    fetch(kit.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await kit.token()}` }, body, duplex: 'half' } as RequestInit);
  /** A body sent in chunks, so without a Content-Length. */
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < text.length; at += 1 << 16) controller.enqueue(new TextEncoder().encode(text.slice(at, at + (1 << 16))));
        controller.close();
      },
    });
  const padded = (bytes: number) => JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes) } });

  it('answers a body within 25 MB, with or without its length', async () => {
    for (const body of [padded(1000), chunked(padded(1000)), chunked(padded(24_000_000))]) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('refuses one over it with 413: at once by its Content-Length, or where a chunked one crosses it', async () => {
    for (const body of [padded(25_000_000), chunked(padded(25_000_000))]) {
      const response = await post(body);
      expect(response.status).toBe(413);
      expect((await response.json()).errors.map((error: { message: string; extensions: object }) => ({ message: error.message, ...error.extensions }))).toEqual([
        { message: 'Request body too large', code: 'REQUEST_ENTITY_TOO_LARGE' },
      ]);
    }
  });
});

describe('the execution deadline', () => {
  it('ends a query that runs past it with QUERY_TIMEOUT', async () => {
    // A transaction holds the call table for 1.5 s: PostgreSQL makes the report wait for the lock,
    // PGlite (one connection) for the transaction.
    const held = kit.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE call_attempt IN ACCESS EXCLUSIVE MODE');
        await new Promise((resolve) => setTimeout(resolve, 1500));
      },
      { timeout: 10_000 },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await kit.execute('{ campaign(id: "5") { hangup { totalCalls } } }');
      expect(response.errors?.map((e) => ({ message: e.message, ...e.extensions }))).toEqual([
        { message: 'Query stopped: it ran longer than the 0.5 s limit', code: 'QUERY_TIMEOUT', limit: 'executionMs', maximum: 500 },
      ]);
    } finally {
      await held;
    }
    expect((await kit.data('{ campaign(id: "5") { hangup { totalCalls } } }')).campaign.hangup.totalCalls).toBe(10);
  });
});

describe('query limits over SSE and graphql-ws', () => {
  const SUBSCRIPTION = `subscription { ${Array.from({ length: 21 }, (_, i) => `a${i}: exportJobUpdated(id: "export_00000000") { id }`).join(' ')} }`;

  it('refuses too many aliases over SSE', async () => {
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    const events: any[] = [];
    await readSse(response, (data) => events.push(data));
    expect(events.map((event) => event.errors?.[0]?.extensions)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'maxAliases', maximum: 20, found: 21 },
    ]);
  });

  it('refuses too many aliases and too many tokens over graphql-ws', async () => {
    const client = createClient({
      url: kit.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${await kit.token()}` },
      retryAttempts: 0,
    });
    const run = async (query: string) => {
      for await (const result of client.iterate({ query })) void result;
    };
    try {
      await expect(run(SUBSCRIPTION)).rejects.toEqual([
        expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxAliases', maximum: 20, found: 21 } }),
      ]);
      await expect(run(ALIAS_BOMB)).rejects.toEqual([
        expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', maximum: 2000 } }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});

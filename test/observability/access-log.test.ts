import { PassThrough } from 'node:stream';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

describe('the access log', () => {
  let kit: Testkit;
  let text = '';
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    kit = await createTestkit(REPORT_FIXTURE, { accessLog: pino(stream) });
  });
  afterAll(() => kit.close());

  const lines = () => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
  const lineOf = async (requestId: string) => {
    await expect.poll(() => lines().some((line) => line.request_id === requestId)).toBe(true);
    return lines().find((line) => line.request_id === requestId)!;
  };

  it('writes one JSON line per request, with the request id it echoes, the route, tenant, operation and error codes, and never a token or a variable', async () => {
    const token = await kit.token({ permissions: [PERMISSIONS.apiAccess] });
    const post = (body: object, headers: Record<string, string> = {}) =>
      fetch(kit.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });

    const named = await post(
      { query: 'query Kpis($from: DateTime) { campaign(id: "5") { kpis(from: $from) { dialed } } }', variables: { from: '2026-06-01T00:00:00Z' } },
      { 'x-request-id': 'client-req-1' },
    );
    expect(named.headers.get('x-request-id')).toBe('client-req-1');
    expect(await lineOf('client-req-1')).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'POST',
      route: '/graphql',
      status: 200,
      tenant: 'acme',
      operation: 'Kpis',
      operation_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      duration_ms: expect.any(Number),
    });

    // No usable id of its own: a new one, the same in the answer and the line.
    const anonymous = await post({ query: '{ campaign(id: "5") { name } }' }, { 'x-request-id': 'has spaces in it' });
    const generated = anonymous.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(await lineOf(generated)).toMatchObject({ operation: 'anonymous', status: 200 });

    const invalid = await post({ query: '{ campaign(id: "5") { noSuchField } }', variables: { secret: 'VAR-SECRET-123' } });
    expect(await lineOf(invalid.headers.get('x-request-id')!)).toMatchObject({ error_codes: ['GRAPHQL_VALIDATION_FAILED'] });

    const rest = await fetch(kit.url.replace('/graphql', '/api/autocall/campaigns/5/reports/kpis?from=2026-06-01&to=2026-06-30'), { headers: { authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(200);
    expect(await lineOf(rest.headers.get('x-request-id')!)).toMatchObject({ route: '/api/autocall/campaigns/{id}/reports/kpis', method: 'GET', status: 200, operation: 'RestKpis', tenant: 'acme' });

    expect(await kit.ingest(lead('AL-1', 5), call('AL-C1', 5, 'AL-1'))).toBe(200);
    await expect.poll(() => lines().some((line) => line.route === '/ingest' && line.status === 200)).toBe(true);

    expect(lines().every((line) => typeof line.request_id === 'string' && typeof line.time === 'number')).toBe(true);
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/Bearer|eyJ|VAR-SECRET-123|2026-06-01T00:00:00Z|from=2026/);
  });

  it('writes one line per graphql-ws operation when it ends, with its tenant, name, hash, results and error codes, and never the token or a variable', async () => {
    const token = await kit.token({ permissions: [PERMISSIONS.apiAccess] });
    const client = createClient({ url: kit.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const run = (payload: { query: string; variables?: Record<string, unknown> }) =>
      new Promise<unknown[]>((resolve) => {
        const results: unknown[] = [];
        client.subscribe(payload, { next: (result) => results.push(result), error: (error) => resolve([...results, error]), complete: () => resolve(results) });
      });
    try {
      const before = lines().length;
      expect(await run({ query: 'query SocketKpis($from: DateTime) { campaign(id: "5") { kpis(from: $from) { dialed } } }', variables: { from: '2026-06-02T00:00:00Z' } })).toHaveLength(1);
      await run({ query: '{ campaign(id: "5") { noSuchField } }', variables: { secret: 'WS-SECRET-456' } });
      // A subscription stopped by its client after the first push: one line, when it stops.
      const pushes: unknown[] = [];
      await new Promise<void>((resolve) => {
        const unsubscribe = client.subscribe(
          { query: 'subscription Watch { campaignUpdated(id: "5") { name } }' },
          { next: (result) => (pushes.push(result), unsubscribe(), resolve()), error: () => resolve(), complete: () => resolve() },
        );
      });
      await expect.poll(() => lines().slice(before).filter((line) => line.transport === 'graphql-ws').length).toBe(3);
      const [kpis, invalid, watch] = lines().slice(before).filter((line) => line.transport === 'graphql-ws');
      expect(kpis).toMatchObject({ msg: 'operation', route: '/graphql', tenant: 'acme', operation: 'SocketKpis', operation_id: expect.any(String), results: 1, operation_hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(kpis!.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(kpis).not.toHaveProperty('error_codes');
      expect(invalid).toMatchObject({ tenant: 'acme', results: 0, error_codes: ['GRAPHQL_VALIDATION_FAILED'] });
      expect(watch).toMatchObject({ operation: 'Watch', results: 1 });
      expect(new Set([kpis!.request_id, invalid!.request_id, watch!.request_id]).size).toBe(3);
      expect(text).not.toContain(token);
      expect(text).not.toMatch(/WS-SECRET-456|2026-06-02T00:00:00Z/);
    } finally {
      await client.dispose();
    }
  });
});

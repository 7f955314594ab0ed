import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { documentHash } from '../../src/documents/document-ids.js';
import { Manifests, readManifest } from '../../src/documents/manifests.js';
import { createMetrics } from '../../src/metrics/registry.js';
import type { AppOptions } from '../../src/server/app.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const EXAMPLES = readManifest(fs.readFileSync('examples/gql/persisted-documents.json', 'utf8'), 'persisted-documents.json');
const textOf = (name: string) => EXAMPLES.find(({ body }) => body.includes(` ${name}(`))!.body;
const HEADLINE = textOf('CampaignHeadline');
const HEADLINE_ID = `sha256:${documentHash(HEADLINE)}`;
const WATCH = textOf('CampaignKpis');
const EXPORT = textOf('ExportKpis');

/** A kit whose gateway applies `mode`, with the examples' manifest published as examples@1.0.0. */
async function kitIn(mode: 'off' | 'audit' | 'allow' | 'require', options: Partial<AppOptions> = {}) {
  const kit = await createTestkit(REPORT_FIXTURE, { trustedDocuments: { mode, apq: false, lookupCacheMs: 0 }, ...options });
  await new Manifests(kit.db).publish('examples', '1.0.0', EXAMPLES);
  return kit;
}

const post = async (kit: Testkit, body: object, token: string) => {
  const response = await fetch(kit.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
};
const codeOf = (answer: { body: { errors?: { extensions?: { code?: string } }[] } }) => answer.body.errors?.[0]?.extensions?.code;

/** The first result of an operation over graphql-ws (a result with errors, or the error list the server refused it with). */
async function overWs(kit: Testkit, token: string, payload: Record<string, unknown>) {
  const client = createClient({ url: kit.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` }, retryAttempts: 0 });
  try {
    return await new Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }>((resolve) => {
      const stop = client.subscribe(payload as never, {
        next: (result) => (resolve(result as never), stop()),
        error: (error) => resolve({ errors: error as never }),
        complete: () => {},
      });
    });
  } finally {
    await client.dispose();
  }
}

/** The first event of an operation over SSE, or the answer when it is refused before streaming. */
async function overSse(kit: Testkit, token: string, body: object): Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }> {
  const controller = new AbortController();
  const response = await fetch(kit.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response.json() as never;
  let first: any;
  await readSse(response, (event) => {
    first ??= event;
    controller.abort();
  }).catch(() => undefined);
  return first;
}

describe('PERSISTED_DOCUMENTS=require', () => {
  let kit: Testkit;
  let app: string;
  let explorer: string;
  let expected: unknown;
  beforeAll(async () => {
    kit = await kitIn('require');
    app = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    explorer = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.explore] });
    expected = (await post(kit, { query: HEADLINE, variables: { id: '5' } }, explorer)).body.data;
  });
  afterAll(() => kit.close());

  it('runs a published document by documentId (sha256: and plain hex) and by extensions.persistedQuery, over POST and GET', async () => {
    expect(expected).toEqual({ __typename: 'Query', campaign: { __typename: 'Campaign', id: '5', name: 'Renewal Q3', kpis: { __typename: 'CampaignKpis', dialed: 10, answered: 6, answerRatePct: '60.00' } } });
    const hex = HEADLINE_ID.slice('sha256:'.length);
    for (const body of [
      { documentId: HEADLINE_ID, variables: { id: '5' } },
      { documentId: hex.toUpperCase(), variables: { id: '5' } },
      { extensions: { persistedQuery: { version: 1, sha256Hash: hex } }, variables: { id: '5' } },
    ]) {
      const answer = await post(kit, body, app);
      expect(answer.status, JSON.stringify(body)).toBe(200);
      expect(answer.body.data).toEqual(expected);
    }
    const get = await fetch(`${kit.url}?documentId=${HEADLINE_ID}&variables=${encodeURIComponent('{"id":"5"}')}`, { headers: { authorization: `Bearer ${app}` } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual(expected);
  });

  it('refuses raw text on POST, GET, SSE and graphql-ws with PERSISTED_QUERY_ONLY, and runs it for a token with autocall_explore', async () => {
    const raw = { query: HEADLINE, variables: { id: '5' } };
    const refusedPost = await post(kit, raw, app);
    expect(refusedPost.status).toBe(400);
    expect(codeOf(refusedPost)).toBe('PERSISTED_QUERY_ONLY');
    const rawGet = `${kit.url}?query=${encodeURIComponent(HEADLINE)}&variables=${encodeURIComponent('{"id":"5"}')}`;
    const refusedGet = await fetch(rawGet, { headers: { authorization: `Bearer ${app}` } });
    expect(refusedGet.status).toBe(400);
    expect(((await refusedGet.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect(codeOf({ body: await overSse(kit, app, { query: WATCH, variables: { id: '5' } }) })).toBe('PERSISTED_QUERY_ONLY');
    expect(codeOf({ body: await overWs(kit, app, { query: WATCH, variables: { id: '5' } }) })).toBe('PERSISTED_QUERY_ONLY');

    expect((await fetch(rawGet, { headers: { authorization: `Bearer ${explorer}` } })).status).toBe(200);
    expect((await overSse(kit, explorer, { query: WATCH, variables: { id: '5' } })).data.campaignUpdated.kpis.dialed).toBe(10);
    expect((await overWs(kit, explorer, { query: WATCH, variables: { id: '5' } })).data.campaignUpdated.kpis.dialed).toBe(10);
  });

  it('pushes a subscription by id over SSE and graphql-ws', async () => {
    const byId = { query: '', documentId: `sha256:${documentHash(WATCH)}`, variables: { id: '5' } };
    expect((await overSse(kit, app, byId)).data.campaignUpdated).toMatchObject({ id: '5', kpis: { dialed: 10 } });
    expect((await overWs(kit, app, byId)).data.campaignUpdated).toMatchObject({ id: '5', kpis: { dialed: 10 } });
  });

  it("answers an unknown id, and a retired version's ids, with PersistedQueryNotFound on every transport", async () => {
    const text = 'query OnlyInWeb { campaigns(first: 1) { totalCount } }';
    const id = `sha256:${documentHash(text)}`;
    const manifests = new Manifests(kit.db);
    await manifests.publish('web', '1.0.0', [{ hash: documentHash(text), body: text }]);
    expect((await post(kit, { documentId: id }, app)).body.data).toEqual({ campaigns: { totalCount: 3 } });
    await manifests.retire('web', '1.0.0');
    const refused = await post(kit, { documentId: id }, app);
    expect(refused.body.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    expect(codeOf({ body: await overWs(kit, app, { query: '', documentId: id }) })).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(codeOf({ body: await overSse(kit, app, { documentId: `sha256:${'0'.repeat(64)}` }) })).toBe('PERSISTED_QUERY_NOT_FOUND');
    const invalid = await post(kit, { documentId: 'sha1:abc' }, app);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]).toMatchObject({ extensions: { code: 'PERSISTED_QUERY_ID_INVALID', argumentName: 'documentId' } });
    expect(invalid.body.errors?.[0]?.message).toMatch(/^documentId "sha1:abc" is not a document id/);
  });

  it('answers a query by id over GET with its canonical URL, an ETag and a short private max-age, 304 when unchanged, and still refuses mutations by GET', async () => {
    const url = `${kit.url}?variables=${encodeURIComponent('{"id":"5"}')}&documentId=${HEADLINE_ID.toUpperCase().replace('SHA256:', 'sha256:')}`;
    const first = await fetch(url, { headers: { authorization: `Bearer ${app}` } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    // The test kit keeps answers 0 s (no response cache): revalidate every time.
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toMatch(/Authorization/);
    expect(first.headers.get('content-location')).toBe(`/graphql?${new URLSearchParams({ documentId: HEADLINE_ID, variables: '{"id":"5"}' })}`);
    const again = await fetch(url, { headers: { authorization: `Bearer ${app}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // A change of the data is a new tag.
    expect(await kit.ingest(lead('TD-1', 5), call('TD-C1', 5, 'TD-1'))).toBe(200);
    const changed = await fetch(url, { headers: { authorization: `Bearer ${app}`, 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const mutation = await fetch(`${kit.url}?documentId=sha256:${documentHash(EXPORT)}&variables=${encodeURIComponent('{"campaignId":"5"}')}`, { headers: { authorization: `Bearer ${app}` } });
    expect(mutation.status).toBe(405);
  });

  it('keeps the REST routes working: their saved operations are trusted', async () => {
    const rest = await fetch(kit.url.replace('/graphql', '/api/autocall/campaigns/5/reports/kpis?from=2026-06-01&to=2026-06-30'), { headers: { authorization: `Bearer ${app}` } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as any).data.total_leads).toBe(6); // the fixture's five and the lead the GET test ingested
  });
});

describe('PERSISTED_DOCUMENTS=audit', () => {
  let kit: Testkit;
  let text = '';
  const metrics = createMetrics();
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    kit = await kitIn('audit', { metrics, accessLog: pino(stream) });
  });
  afterAll(() => kit.close());

  it('runs everything, and counts and logs by name the operations no manifest holds, once validated, on HTTP and graphql-ws', async () => {
    const token = await kit.token();
    for (let n = 0; n < 2; n += 1) expect((await post(kit, { query: 'query Unlisted { campaigns(first: 1) { totalCount } }' }, token)).status).toBe(200);
    expect((await overWs(kit, token, { query: 'query UnlistedWs { campaigns(first: 1) { totalCount } }' })).data).toEqual({ campaigns: { totalCount: 3 } });
    // A published document's text, sent as text, and a document by id: not unknown.
    expect((await post(kit, { query: HEADLINE, variables: { id: '5' } }, token)).status).toBe(200);
    expect((await post(kit, { documentId: HEADLINE_ID, variables: { id: '5' } }, token)).status).toBe(200);
    // Never validated: not counted by its name.
    await post(kit, { query: 'query Broken { noSuchField }' }, token);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('autocall_untrusted_operations_total{operationName="Unlisted"} 2');
    expect(exposition).toContain('autocall_untrusted_operations_total{operationName="UnlistedWs"} 1');
    expect(exposition).not.toMatch(/autocall_untrusted_operations_total\{operationName="(Broken|CampaignHeadline)"/);
    expect(exposition).toMatch(/autocall_documents_total\{source="persisted"\} 1\b/);
    expect(exposition).toMatch(/autocall_documents_total\{source="raw"\} 1\b/);
    const warnings = text.trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.level === 40);
    expect(warnings.map((line) => line.operation).sort()).toEqual(['Unlisted', 'UnlistedWs']);
    expect(warnings[0]).toMatchObject({ tenant: 'acme', operation_hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });
});

describe('PERSISTED_DOCUMENTS=off', () => {
  it('runs raw text and answers an id with PersistedQueryNotSupported, which makes Apollo Client send text', async () => {
    const kit = await kitIn('off');
    try {
      const token = await kit.token();
      expect((await post(kit, { query: HEADLINE, variables: { id: '5' } }, token)).body.data.campaign.name).toBe('Renewal Q3');
      const byId = await post(kit, { documentId: HEADLINE_ID, variables: { id: '5' } }, token);
      expect(byId.body.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } });
    } finally {
      await kit.close();
    }
  });
});

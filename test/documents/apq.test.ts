import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { buildApp } from '../../src/server/app.js';
import { LocalExportStore } from '../../src/exports/local-store.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, jwtKey, redisOptions, type Testkit } from '../support/testkit.js';

const QUERY = 'query Dialed { campaign(id: "5") { kpis { dialed } } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const persistedQuery = (sha256Hash = HASH) => ({ persistedQuery: { version: 1, sha256Hash } });

const post = async (url: string, token: string, body: object) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
};

// Automatic persisted queries as Apollo Client's persisted-query link sends them: the hash alone
// first, the text with its hash when the gateway does not know it, the hash alone from then on.
describe('APQ (PERSISTED_DOCUMENTS_APQ=1)', () => {
  let kit: Testkit;
  let token: string;
  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE, { trustedDocuments: { mode: 'allow', apq: true, lookupCacheMs: 0 } });
    token = await kit.token();
  });
  afterAll(() => kit.close());

  it('misses, registers, then hits', async () => {
    const miss = await post(kit.url, token, { extensions: persistedQuery() });
    expect(miss.status).toBe(200);
    expect(miss.body.errors).toEqual([expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) })]);
    const register = await post(kit.url, token, { query: QUERY, extensions: persistedQuery() });
    expect(register.body).toEqual({ data: { campaign: { kpis: { dialed: 10 } } } });
    const hit = await post(kit.url, token, { extensions: persistedQuery() });
    expect(hit.body).toEqual({ data: { campaign: { kpis: { dialed: 10 } } } });
    // Over GET too, as useGETForHashedQueries sends it.
    const get = await fetch(`${kit.url}?extensions=${encodeURIComponent(JSON.stringify(persistedQuery()))}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await get.json()).toEqual({ data: { campaign: { kpis: { dialed: 10 } } } });
  });

  it('refuses a text whose hash is not the one sent, and registers nothing', async () => {
    const other = 'a'.repeat(64);
    const mismatch = await post(kit.url, token, { query: QUERY, extensions: persistedQuery(other) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors?.[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' } });
    expect((await post(kit.url, token, { extensions: persistedQuery(other) })).body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
  });

  it.skipIf(!process.env.REDIS_URL)('keeps registrations in Redis, where another gateway of the fleet finds them', async () => {
    const text = 'query DialedElsewhere { campaign(id: "5") { kpis { answered } } }';
    const hash = createHash('sha256').update(text).digest('hex');
    const redis = redisOptions();
    const gateway = () => buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(os.tmpdir()), exportWorkers: 0, ...redis, trustedDocuments: { mode: 'allow', apq: true } });
    const [one, two] = [gateway(), gateway()];
    try {
      const [first, second] = [`${await one.start(0)}/graphql`, `${await two.start(0)}/graphql`];
      expect((await post(first, token, { query: text, extensions: persistedQuery(hash) })).body.data).toBeDefined();
      expect((await post(second, token, { extensions: persistedQuery(hash) })).body).toEqual({ data: { campaign: { kpis: { answered: 6 } } } });
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('is refused in require mode: a registration would let any text in', async () => {
    const strict = await createTestkit(REPORT_FIXTURE, { trustedDocuments: { mode: 'require', apq: true, lookupCacheMs: 0 } });
    try {
      const app = await strict.token();
      expect((await post(strict.url, app, { extensions: persistedQuery() })).body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
      const register = await post(strict.url, app, { query: QUERY, extensions: persistedQuery() });
      expect(register.status).toBe(400);
      expect(register.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
      expect((await post(strict.url, app, { extensions: persistedQuery() })).body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
      // An explorer's text runs, and is not registered for anyone.
      const explorer = await strict.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.explore] });
      expect((await post(strict.url, explorer, { query: QUERY, extensions: persistedQuery() })).body.data).toBeDefined();
      expect((await post(strict.url, app, { extensions: persistedQuery() })).body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
    } finally {
      await strict.close();
    }
  });
});

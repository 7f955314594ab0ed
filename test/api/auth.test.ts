import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretKey } from '../../src/auth/tokens.js';
import { TENANTS_FIXTURE } from '../support/fixtures.js';
import { createTestkit, jwtKey, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(TENANTS_FIXTURE);
});
afterAll(() => kit.close());

const QUERY = `{ campaign(id: "5") { name } }`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = { sub: 'tester', tenant_id: 'acme', permissions: ['autocall_api_access'] };

async function expectUnauthenticated(authorization: string | null, message: string) {
  const response = await fetch(kit.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: QUERY }),
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

describe('Authorization header', () => {
  it('accepts a valid HS256 token', async () => {
    expect(await kit.data(QUERY)).toEqual({ campaign: { name: 'Renewal Q3' } });
  });

  it('refuses a token it accepted before once it has expired (verified tokens are remembered only until then)', async () => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSeconds() + 2).sign(jwtKey);
    const asked = () =>
      fetch(kit.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) });
    expect((await asked()).status).toBe(200);
    expect((await asked()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expectUnauthenticated(`Bearer ${token}`, 'Token has expired');
  });

  it('refuses a request without a token', async () => {
    await expectUnauthenticated(null, 'Missing bearer token: send "Authorization: Bearer <JWT>"');
  });

  it('refuses another scheme and a malformed token', async () => {
    await expectUnauthenticated('Basic dXNlcjpwYXNz', 'Missing bearer token: send "Authorization: Bearer <JWT>"');
    await expectUnauthenticated('Bearer not.a.jwt', 'Invalid token');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(secretKey('another-secret-another-secret-another-secret'));
    await expectUnauthenticated(`Bearer ${token}`, 'Invalid token');
  });

  it('refuses a token whose signature was tampered with', async () => {
    const token = await kit.token();
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url({ ...claims, tenant_id: 'globex', exp: nowSeconds() + 3600 })}.${signature}`;
    await expectUnauthenticated(`Bearer ${forged}`, 'Invalid token');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: nowSeconds() + 3600 })}.`;
    await expectUnauthenticated(`Bearer ${token}`, 'Invalid token');
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSeconds() - 60).sign(jwtKey);
    await expectUnauthenticated(`Bearer ${token}`, 'Token has expired');
  });

  it('refuses a token without exp or without the contract\'s claims', async () => {
    const noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(jwtKey);
    await expectUnauthenticated(`Bearer ${noExp}`, 'Invalid token');
    const noTenant = await new SignJWT({ sub: 'tester', permissions: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(jwtKey);
    await expectUnauthenticated(`Bearer ${noTenant}`, 'Token lacks the sub, tenant_id, permissions or exp claim');
  });
});

describe('permissions', () => {
  it('answers FORBIDDEN without autocall_api_access', async () => {
    const token = await kit.token({ permissions: ['autocall_export_report'] });
    const response = await kit.execute(`{ campaign(id: "5") { name } campaigns { totalCount } }`, { token });
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expect(response.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['campaign'], 'FORBIDDEN'],
      [['campaigns'], 'FORBIDDEN'],
    ]);
    expect(response.errors?.[0]?.message).toBe(
      'Not allowed to read Query.campaign: the token lacks the required permission',
    );
  });
});

describe('unexpected errors', () => {
  it('are masked without SQL or stack traces', async () => {
    const broken = await createTestkit(TENANTS_FIXTURE);
    await broken.db.prisma.$executeRawUnsafe('ALTER TABLE campaign RENAME TO campaign_gone');
    const response = await broken.execute(`{ campaigns { totalCount } }`);
    await broken.close();
    expect(response.errors).toEqual([
      { message: 'Unexpected error.', locations: [{ line: 1, column: 3 }], path: ['campaigns'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(response)).not.toMatch(/campaign"|relation|SELECT|at /);
  });
});

describe('GET /healthz', () => {
  it('answers when the process is up and the database reachable', async () => {
    const response = await fetch(kit.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    const redis = process.env.REDIS_URL ? { redis: 'ok' } : {};
    expect(await response.json()).toEqual({ status: 'ok', database: kit.db.kind, ...redis });
  });
});

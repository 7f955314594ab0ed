import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

describe('CORS', () => {
  let kit: Testkit;
  let sameOrigin: Testkit;
  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE, { cors: { origins: ['https://dashboard.example.com'], localhost: true } });
    sameOrigin = await createTestkit(REPORT_FIXTURE);
  });
  afterAll(async () => {
    await kit.close();
    await sameOrigin.close();
  });

  it('lets a configured origin and a localhost development server call with credentials', async () => {
    for (const origin of ['https://dashboard.example.com', 'http://localhost:5173', 'http://127.0.0.1:3000']) {
      expect(corsHeaders(await preflight(kit.url, origin))).toEqual({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'Authorization, Content-Type, Accept',
        'access-control-max-age': '600',
      });
    }
    const response = await fetch(kit.url, {
      method: 'POST',
      headers: { origin: 'https://dashboard.example.com', 'content-type': 'application/json', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query: '{ campaign(id: "5") { kpis { dialed } } }' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.com');
    expect(await response.json()).toEqual({ data: { campaign: { kpis: { dialed: 10 } } } });
  });

  it('gives any other origin no CORS headers, so browsers keep the answer from its pages', async () => {
    for (const origin of ['https://evil.example', 'https://dashboard.example.com.evil.example', 'null', 'file://']) {
      expect(corsHeaders(await preflight(kit.url, origin))).toEqual({});
    }
    // By default only the gateway's own pages may call it.
    expect(corsHeaders(await preflight(sameOrigin.url, 'http://localhost:5173'))).toEqual({});
  });

  it('refuses GraphQL in a form post (CSRF) before running anything', async () => {
    const before = await kit.db.prisma.exportJob.count();
    const authorization = `Bearer ${await kit.token({ permissions: ['autocall_api_access', 'autocall_export_report'] })}`;
    const mutation = 'mutation { exportReport(input: { campaignId: "5", reportType: KPIS, from: "2026-06-01", to: "2026-06-30", format: CSV }) { id } }';
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', new URLSearchParams({ query: mutation }).toString()],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation}\r\n--x--\r\n`],
    ] as const) {
      const response = await fetch(kit.url, { method: 'POST', headers: { 'content-type': type, authorization }, body });
      expect(response.status).toBe(415);
      const essence = type.split(';')[0];
      expect(await response.json()).toEqual({
        errors: [{ message: `Content-Type ${essence} is not accepted: send GraphQL as application/json`, extensions: { code: 'UNSUPPORTED_CONTENT_TYPE' } }],
      });
    }
    expect(await kit.db.prisma.exportJob.count()).toBe(before);
  });
});

describe('CORS_ORIGINS', () => {
  const base = { AUTH_JWT_SECRET: 'x'.repeat(32) };
  it('defaults to localhost pages in embedded mode and to none with DATABASE_URL', () => {
    expect(loadConfig({}).cors).toEqual({ origins: [], localhost: true });
    expect(loadConfig({ ...base, DATABASE_URL: 'postgresql://db/x' }).cors).toEqual({ origins: [], localhost: false });
  });
  it('takes a comma-separated list of origins instead', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://b.example.com:8080' }).cors).toEqual({
      origins: ['https://a.example.com', 'http://b.example.com:8080'],
      localhost: false,
    });
  });
  it('names a value that is not an origin', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com/app' })).toThrow(
      'Invalid configuration:\n  CORS_ORIGINS.0: "https://a.example.com/app" is not an origin like https://app.example.com',
    );
  });
});

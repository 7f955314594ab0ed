import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { startStallProxy } from '../support/stall-proxy.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

describe.skipIf(!process.env.REDIS_URL)('Redis gone silent', () => {
  let proxy: Awaited<ReturnType<typeof startStallProxy>>;
  let kit: Testkit;
  let token: string;
  beforeAll(async () => {
    proxy = await startStallProxy(process.env.REDIS_URL!);
    // The response cache and the rate limits keep their counts in that Redis too.
    kit = await createTestkit(REPORT_FIXTURE, { redisUrl: proxy.url, responseCacheSeconds: 300, rateLimits: { perToken: 100, perTenant: 100 } });
    token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
  });
  afterAll(async () => {
    proxy.resume();
    await kit.close();
    await proxy.close();
  });

  const health = async () => {
    const response = await fetch(kit.url.replace('/graphql', '/healthz'));
    return { status: response.status, body: await response.json() };
  };

  it('still accepts an export at once, says so in /healthz, and runs the job when Redis is back', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: kit.db.kind, redis: 'ok' } });

    proxy.stall();
    const started = Date.now();
    const created = await kit.execute(
      'mutation { exportReport(input: { campaignId: "5", reportType: KPIS, from: "2026-06-01", to: "2026-06-30" }) { id status } }',
      { token },
    );
    // A bound against hanging, not a speed figure: the mutation used to wait on Redis indefinitely.
    expect(Date.now() - started).toBeLessThan(3_000);
    const job = (created.data as any).exportReport;
    expect(job.status).toBe('QUEUED');
    expect(await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'queued' });
    expect(await health()).toEqual({
      status: 200,
      body: { status: 'degraded', database: kit.db.kind, redis: 'unreachable', error: 'redis unreachable' },
    });
    // Reports are answered without the cache and without counting, rather than waiting for Redis.
    const asked = Date.now();
    const report = await kit.execute('{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }', { token });
    expect(Date.now() - asked).toBeLessThan(3_000);
    expect(report).toMatchObject({ status: 200, data: { campaign: { kpis: { dialed: 10 } } } });

    proxy.resume();
    let status = 'QUEUED';
    for (let attempt = 0; attempt < 100 && status !== 'READY'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const read = await kit.execute(`{ exportJob(id: "${job.id}") { status } }`, { token });
      status = (read.data as any).exportJob.status;
    }
    expect(status).toBe('READY');
    expect((await health()).body.status).toBe('ok');
  });
});

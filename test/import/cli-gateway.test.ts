import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { importNdjson } from '../../src/import/importer.js';
import { PERMISSIONS, secretKey, signToken } from '../../src/auth/tokens.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { readSse } from '../support/sse.js';
import { createTestkit, ndjson, redisOptions, TEST_SECRET } from '../support/testkit.js';

// Embedded only: with DATABASE_URL the command writes to PostgreSQL itself, as the other CLI tests show.
describe.skipIf(process.env.TEST_DATABASE_URL)('npm run import while npm start runs on the same embedded DATA_DIR', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-import-gateway-'));
  const env = { ...process.env, DATABASE_URL: '', AUTH_JWT_SECRET: '', REDIS_URL: '', DATA_DIR: dataDir, PORT: '0' };
  let gateway: ChildProcess;
  let url: string;

  beforeAll(async () => {
    // Not empty, so the gateway does not load the demo data.
    const db = await openDatabase({ kind: 'embedded', dataDir });
    await migrate(db);
    await importNdjson(db, (async function* () { yield* ndjson(campaign(5, 'Renewal Q3'), lead('L-1', 5)); })());
    await db.close();
    gateway = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      gateway.stdout!.on('data', (chunk) => {
        output += chunk;
        const found = /gateway on (http:\/\/localhost:\d+)\/graphql/.exec(output)?.[1];
        if (found) resolve(found);
      });
      gateway.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
    });
  }, 120_000);
  afterAll(async () => {
    gateway.kill('SIGTERM');
    await new Promise((resolve) => gateway.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports through the running gateway, which sees the lines at once; the database stays its own', async () => {
    const secret = fs.readFileSync(path.join(dataDir, 'dev-jwt-secret'), 'utf8').trim();
    const token = await signToken(secretKey(secret), { sub: 'tester', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });
    const kpis = async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }' }),
      });
      return (await response.json()) as { data: unknown; extensions?: { responseCache?: { hit: boolean } } };
    };
    // Asked twice before the import, the second answer comes from the gateway's response cache.
    await kpis();
    // A cached answer, served before any execution, is charged nothing and says so.
    expect(await kpis()).toEqual({
      data: { campaign: { kpis: { dialed: 0 } } },
      extensions: { responseCache: { hit: true }, cost: { requestedQueryCost: 0, actualQueryCost: 0 } },
    });

    const file = path.join(dataDir, 'calls.ndjson');
    fs.writeFileSync(file, `${ndjson(campaign(7, 'Other tenant', 'globex'), call('C-1', 5, 'L-1'), call('C-2', 5, 'L-404')).join('\n')}\n`);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', file], { env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    expect(result.stderr.trim()).toBe('line 3 (call): unknown lead "L-404"');
    expect(result.stdout.trim().split('\n')).toEqual([
      'campaign          1 imported       0 rejected',
      'lead              0 imported       0 rejected',
      'call              1 imported       1 rejected',
    ]);
    expect(result.code).toBe(1);

    // The import dropped the cached answer: the next one is computed again, with the new call.
    expect(await kpis()).toEqual({
      data: { campaign: { kpis: { dialed: 1 } } },
      extensions: { responseCache: { hit: false, didCache: true, ttl: 300_000 }, cost: expect.objectContaining({ requestedQueryCost: 4, actualQueryCost: 2 }) },
    });
  });

  it('moves its progress bar on a terminal while the gateway takes the lines', async () => {
    const file = path.join(dataDir, 'leads.ndjson');
    const leads = Array.from({ length: 30_000 }, (_, i) => lead(`P-${i}`, 5));
    fs.writeFileSync(file, `${ndjson(...leads).join('\n')}\n`);
    // script(1) gives the command a terminal, as a person running it has; the bar is drawn only there.
    const command = `${process.execPath} --import tsx src/import/cli.ts ${file}`;
    const terminal = await new Promise<string>((resolve, reject) =>
      execFile('script', ['-qfec', command, '/dev/null'], { env, maxBuffer: 1 << 24 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(terminal).toMatch(/importing \[[█░]+\] 100% \| 30000 lines/);
    expect(terminal).toContain('lead          30000 imported       0 rejected');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL || !process.env.REDIS_URL)('npm run import with DATABASE_URL and REDIS_URL', () => {
  it('tells the running gateways through Redis: their campaignUpdated subscribers get a push, their cached answers go', async () => {
    // The command and the gateway share a Redis namespace, as a deployment's processes do.
    const { redisNamespace } = redisOptions();
    const kit = await createTestkit(ndjson(campaign(5, 'Renewal Q3'), lead('L-1', 5)), { redisNamespace, responseCacheSeconds: 300 });
    const controller = new AbortController();
    const KPIS = '{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }';
    const cached = async () => {
      const response = await fetch(kit.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await kit.token()}` },
        body: JSON.stringify({ query: KPIS }),
      });
      const body = (await response.json()) as { data: any; extensions: { responseCache: { hit: boolean } } };
      return [body.data.campaign.kpis.dialed, body.extensions.responseCache.hit];
    };
    try {
      await cached();
      expect(await cached()).toEqual([0, true]);
      const stream = await fetch(kit.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await kit.token()}` },
        body: JSON.stringify({ query: 'subscription { campaignUpdated(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }' }),
        signal: controller.signal,
      });
      const dialed: number[] = [];
      const reading = readSse(stream, (event) => dialed.push(event.data.campaignUpdated.kpis.dialed)).catch(() => {});
      await expect.poll(() => dialed).toEqual([0]);
      const env = { ...process.env, DATABASE_URL: kit.db.url!, AUTH_JWT_SECRET: TEST_SECRET, REDIS_NAMESPACE: redisNamespace! };
      const child = execFile(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', '-'], { env });
      child.stdin!.end(`${ndjson(call('C-1', 5, 'L-1')).join('\n')}\n`);
      expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
      // The command dropped the gateway's cached answer in Redis before it exited.
      expect(await cached()).toEqual([1, false]);
      await expect.poll(() => dialed, { timeout: 5_000 }).toEqual([0, 1]);
      controller.abort();
      await reading;
    } finally {
      await kit.close();
    }
  });
});

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecords } from '../../src/demo/generator.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

// The README's examples run here against a gateway holding the demo data set, so they cannot rot:
// every ```graphql block must answer without errors, every ```ts block must run to its end.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = (language: string) => [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);

let kit: Testkit;
let token: string;
beforeAll(async () => {
  kit = await createTestkit([...demoRecords({ leadsPerCampaign: 300 })].map((record) => JSON.stringify(record)));
  token = await kit.token({ tenantId: 'demo', permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport, PERMISSIONS.ingest] });
  // The jobs the export examples name: one still queued (to cancel), one whose link has lapsed (to renew).
  const job = { tenantId: 'demo', campaignId: 5, reportType: 'kpis', format: 'csv', fromDate: '2026-06-01', toDate: '2026-06-30', timezone: 'Asia/Ho_Chi_Minh' };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-readme-')), 'export_a7b3c5d2.csv');
  fs.writeFileSync(file, 'Metric,Value\r\n');
  await kit.db.prisma.exportJob.createMany({
    data: [
      { ...job, id: 'export_c0ffee01' },
      { ...job, id: 'export_a7b3c5d2', status: 'expired', filePath: file, completedAt: new Date(), expiresAt: new Date() },
    ],
  });
}, 120_000);
afterAll(() => kit.close());

/** Lines without their indentation, blank ones dropped: an excerpt may be indented differently. */
const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

describe('README examples', () => {
  // ```typescript blocks are excerpts of examples/*.ts, which test/examples runs; they must not drift.
  it.each(blocks('typescript').map((code) => [code.split('\n')[0]!, code]))('quotes examples/ verbatim: %s', (_title, code) => {
    const sources = fs
      .readdirSync(path.join(ROOT, 'examples'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => lines(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8')).join('\n'));
    // Each paragraph of the excerpt (the imports, a function) is in one of the files as it stands.
    for (const paragraph of code.split(/\n\s*\n/)) {
      const excerpt = lines(paragraph).join('\n');
      expect(sources.some((source) => source.includes(excerpt)), excerpt).toBe(true);
    }
  });

  it('has GraphQL and TypeScript examples', () => {
    expect(blocks('graphql').length).toBeGreaterThanOrEqual(9);
    expect(blocks('ts').length).toBeGreaterThanOrEqual(1);
  });

  it.each(blocks('graphql').map((query) => [query.split('\n')[0]!, query]))('answers %s', async (_title, query) => {
    const response = await kit.execute(query, { token });
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });

  // The REST section's one-line curl commands, run by curl itself against the test gateway.
  const restCalls = blocks('sh').flatMap((block) => block.split('\n')).filter((line) => line.startsWith('curl ') && line.includes('/api/autocall/'));

  it('has a curl example for every REST path', () => {
    expect(restCalls).toHaveLength(9);
  });

  it.each(restCalls.map((line) => [line.slice(line.lastIndexOf("'http")), line]))('answers curl %s', async (_title, line) => {
    const command = line.replace('curl ', "curl -sS -w '\\n%{http_code}' ").replaceAll('localhost:4000', new URL(kit.url).host);
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile('bash', ['-c', command], { env: { ...process.env, TOKEN: token }, timeout: 60_000 }, (error, out, err) =>
        error ? reject(error) : resolve({ stdout: out, stderr: err }),
      ),
    );
    expect(stderr).toBe('');
    const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
    expect(status, stdout).toBe(line.includes('-X POST') ? 202 : 200);
    expect(JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))).data).toBeDefined();
  });

  it.each(blocks('ts').map((code) => [code.split('\n')[0]!, code]))('runs the TypeScript example starting %s', async (_title, code) => {
    // Under node_modules/ so that the example's imports resolve to this project's packages.
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules/.cache-readme-'));
    const file = path.join(dir, 'example.mts');
    fs.writeFileSync(file, code.replaceAll('localhost:4000', new URL(kit.url).host));
    try {
      const { code: exitCode, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, TOKEN: token }, timeout: 60_000 }, (error, out, err) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
        ),
      );
      expect(stderr).toBe('');
      expect(exitCode).toBe(0);
      // Each example prints what it followed: an export to READY, or a campaign before and after an ingest.
      if (code.includes('exportJobUpdated')) expect(stdout).toContain("status: 'READY'");
      else {
        const [before, after] = [...stdout.matchAll(/dialed: (\d+)/g)].map((match) => Number(match[1]));
        expect(after).toBe(before! + 1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import codegenConfig from '../../examples/codegen.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { Manifests, readManifest } from '../../src/documents/manifests.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
let token: string;
// The examples send trusted documents' ids only: their gateway refuses any text (PERSISTED_DOCUMENTS=require)
// and knows their manifest, published as `npm run documents -- publish` would.
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE, { trustedDocuments: { mode: 'require', apq: false } });
  const manifest = 'examples/gql/persisted-documents.json';
  await new Manifests(kit.db).publish('examples', '1.0.0', readManifest(fs.readFileSync(manifest, 'utf8'), manifest));
  token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
});
afterAll(() => kit.close());

const bin = (name: string) => path.resolve('node_modules/.bin', name);

/** Runs a command to its end; `onLine` sees each line of its output as it comes. */
function run(command: string, args: string[], env: Record<string, string> = {}, onLine: (line: string) => void = () => {}) {
  return new Promise<{ code: number | null; lines: string[]; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        onLine(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, lines, stderr }));
  });
}

async function ingest(...records: object[]) {
  const response = await fetch(kit.url.replace('/graphql', '/ingest'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await kit.token({ permissions: [PERMISSIONS.ingest] })}` },
    body: records.map((record) => JSON.stringify(record)).join('\n'),
  });
  expect(response.status).toBe(200);
}

const busyCall = (id: string, leadId: string) =>
  call(id, 5, leadId, {
    started_at: '2026-06-20T02:00:00Z', answered_at: null, ended_at: '2026-06-20T02:00:00Z', result: 'busy',
    hangup_cause: 'USER_BUSY', billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
  });

describe('the example clients (examples/)', () => {
  it('have generated types that match schema.graphql and their operations (npm run codegen)', async () => {
    const outputs = (await generate(codegenConfig, false)) as { filename: string; content: string }[];
    expect(outputs.map((output) => path.relative('.', output.filename)).sort()).toEqual([
      'examples/gql/gql.ts',
      'examples/gql/graphql.ts',
      'examples/gql/index.ts',
      'examples/gql/persisted-documents.json',
    ]);
    for (const output of outputs) expect(fs.readFileSync(output.filename, 'utf8'), `${output.filename} is stale: npm run codegen`).toBe(output.content);
    // strictScalars: every custom scalar has a real type, none is `unknown` or `any`.
    const types = fs.readFileSync('examples/gql/graphql.ts', 'utf8');
    for (const scalar of ['Date', 'DateTime', 'Percentage', 'TimeZone']) expect(types).toContain(`${scalar}: { input: string; output: string; }`);
  });

  it('type-check', async () => {
    const { code, lines } = await run(bin('tsc'), ['-p', 'examples']);
    expect(lines.join('\n')).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  it('follow a campaign through a change and an export to READY over graphql-ws (live-client.ts)', async () => {
    let ingested: Promise<void> | undefined;
    const { code, lines, stderr } = await run(
      bin('tsx'),
      ['examples/live-client.ts'],
      { GATEWAY_URL: kit.url.replace(/^http/, 'ws'), AUTOCALL_TOKEN: token, CAMPAIGN_ID: '5', UPDATES: '2' },
      (line) => {
        if (line.startsWith('campaign ')) ingested ??= ingest(lead('EX-1', 5), busyCall('EX-C1', 'EX-1'));
      },
    );
    await ingested;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const campaign = lines.filter((line) => line.startsWith('campaign '));
    expect(campaign).toHaveLength(2);
    expect(campaign[0]).toMatch(/^campaign Renewal Q3: dialed 10, answered 6 \(60\.00 %\), data of \d{4}-/);
    expect(campaign[1]).toMatch(/^campaign Renewal Q3: dialed 11, answered 6 \(54\.55 %\), data of \d{4}-/);
    const exported = lines.filter((line) => line.startsWith('export '));
    expect(exported[0]).toMatch(/^export export_[0-9a-f]{8}: QUEUED, about \d+ s$/);
    expect(exported.at(-1)).toMatch(/^export export_[0-9a-f]{8}: READY 100\.00$/);
    expect(lines.find((line) => line.startsWith('download: '))).toMatch(/^download: http:\/\/.+\/exports\/export_[0-9a-f]{8}\/download\?expires=/);
  }, 60_000);

  it.each([
    ['apollo-client.ts', 'ws'],
    ['apollo-client.ts', 'sse'],
    ['urql-client.ts', 'ws'],
    ['urql-client.ts', 'sse'],
  ])('%s reads a campaign over HTTP and receives campaignUpdated over %s, by ids alone', async (file, transport) => {
    const explorer = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.explore] });
    const { kpis } = ((await kit.execute(`{ campaign(id: "5") { kpis { dialed answered answerRatePct } } }`, { token: explorer })).data as { campaign: { kpis: object } }).campaign;
    const { code, lines, stderr } = await run(bin('tsx'), [`examples/${file}`], { GATEWAY_URL: kit.url, AUTOCALL_TOKEN: token, TRANSPORT: transport });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The documents carry __typename (codegen writes it in, for Apollo Client's cache).
    const campaign = { __typename: 'Campaign', id: '5', name: 'Renewal Q3', kpis: { __typename: 'CampaignKpis', ...kpis } };
    const client = file.split('-')[0];
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { client, transport: 'http', campaign },
      { client, transport, campaign },
    ]);
  }, 60_000);
});

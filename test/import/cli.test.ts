import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { ndjson, TEST_SECRET } from '../support/testkit.js';

let target: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  // The CLI migrates by itself, so hand it an empty database.
  target = await openTestDatabase({ migrated: false });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-import-'));
});
afterAll(async () => {
  await target.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function runImport(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = target.url
    ? { ...process.env, DATABASE_URL: target.url, AUTH_JWT_SECRET: TEST_SECRET }
    : { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', ...args], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

/** What the CLI wrote, read back from the database it was pointed at. */
async function countCalls(): Promise<number> {
  if (target.url) return target.prisma.callAttempt.count();
  const embedded: Database = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return await embedded.prisma.callAttempt.count();
  } finally {
    await embedded.close();
  }
}

describe('npm run import', () => {
  it('imports a file, reports bad lines and exits non-zero when anything was rejected', async () => {
    const file = path.join(dataDir, 'calls.ndjson');
    fs.writeFileSync(file, `${ndjson(campaign(5, 'Renewal Q3'), lead('L-1', 5), call('C-1', 5, 'L-404'), call('C-2', 5, 'L-1')).join('\n')}\n`);
    const result = await runImport([file]);
    expect(result.stderr.trim()).toBe('line 3 (call): unknown lead "L-404"');
    expect(result.stdout.trim().split('\n')).toEqual([
      'campaign          1 imported       0 rejected',
      'lead              1 imported       0 rejected',
      'call              1 imported       1 rejected',
    ]);
    expect(result.code).toBe(1);
    expect(await countCalls()).toBe(1);
  });

  it('reads standard input with "-" and exits 0 when every line was imported', async () => {
    const result = await runImport(['-'], `${ndjson(call('C-3', 5, 'L-1')).join('\n')}\n`);
    expect(result.stdout).toContain('call              1 imported       0 rejected');
    expect(result.code).toBe(0);
    expect(await countCalls()).toBe(2);
  });

  it('explains its usage and a missing file', async () => {
    expect(await runImport([])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run import -- FILE.ndjson') });
    expect(await runImport(['/no/such.ndjson'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file: /no/such.ndjson') });
  });
});

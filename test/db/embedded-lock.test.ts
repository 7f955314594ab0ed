import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { campaign } from '../support/fixtures.js';
import { ndjson } from '../support/testkit.js';

let dataDir: string;
let file: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-lock-'));
  file = path.join(dataDir, 'campaign.ndjson');
  fs.writeFileSync(file, `${ndjson(campaign(5, 'Renewal Q3')).join('\n')}\n`);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs one of the project's commands on the embedded database in dataDir. */
function run(script: string, args: string[] = []): Promise<{ code: number; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: '', REDIS_URL: '', DATA_DIR: dataDir, PORT: '0' };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', script, ...args], { env, timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stderr }),
    );
    child.stdin?.end();
  });
}

describe('the embedded database in DATA_DIR', () => {
  it('is never opened by two processes: a second gateway or import exits non-zero naming the cause', async () => {
    const holder: Database = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await migrate(holder);
      const gateway = await run('src/main.ts');
      expect(gateway.code).toBe(1);
      expect(gateway.stderr).toContain(`The embedded database in ${path.join(dataDir, 'pglite')} is in use by another process`);
      const importer = await run('src/import/cli.ts', [file]);
      expect(importer.code).toBe(2);
      expect(importer.stderr).toContain('is in use by another process');
      await expect(openDatabase({ kind: 'embedded', dataDir })).rejects.toThrow(/is in use by another process/);
    } finally {
      await holder.close();
    }
    // Closed, the lock is released and the next process gets the database.
    expect(await run('src/import/cli.ts', [file])).toMatchObject({ code: 0 });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { documentHash } from '../../src/documents/document-ids.js';
import { Manifests } from '../../src/documents/manifests.js';
import { createScratchDatabase, dropScratchDatabase } from '../../src/db/server-admin.js';
import { runCli } from '../support/cli.js';

const MANIFEST = path.resolve('examples/gql/persisted-documents.json');
const EXAMPLE_COUNT = Object.keys(JSON.parse(fs.readFileSync(MANIFEST, 'utf8'))).length;

// npm run documents, as a person runs it: against the PostgreSQL database TEST_DATABASE_URL's server
// gets for this file, or an embedded database in a DATA_DIR of its own.
describe('npm run documents', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-documents-'));
  const scratch = `autocall_documents_${process.pid}`;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = process.env.TEST_DATABASE_URL
      ? { DATABASE_URL: await createScratchDatabase(process.env.TEST_DATABASE_URL, scratch), AUTH_JWT_SECRET: 'x'.repeat(32) }
      : { DATABASE_URL: '', DATA_DIR: dir };
  }, 60_000);
  afterAll(async () => {
    if (process.env.TEST_DATABASE_URL) await dropScratchDatabase(process.env.TEST_DATABASE_URL, scratch);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const documents = (...args: string[]) => runCli('src/documents/cli.ts', args, env);
  const write = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  /** The database the commands wrote, opened after they have ended (an embedded one has one user at a time). */
  const withDatabase = async <T>(work: (db: Database) => Promise<T>) => {
    const db = await openDatabase(env.DATA_DIR ? { kind: 'embedded', dataDir: env.DATA_DIR } : { kind: 'postgres', url: env.DATABASE_URL! });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };

  it('publishes a manifest after validating every document, lists, checks a changed schema, and retires', async () => {
    const published = await documents('publish', '--app', 'examples', '--version', '1.0.0', MANIFEST);
    expect(published.stderr).toBe('');
    expect(published.stdout.trim()).toBe(`published examples@1.0.0: ${EXAMPLE_COUNT} documents`);
    expect(published.code).toBe(0);
    expect((await documents('publish', '--app', 'examples', '--version', '1.0.0', MANIFEST)).stdout.trim()).toBe(`examples@1.0.0 is published already with these ${EXAMPLE_COUNT} documents`);

    // One document that does not validate: nothing of the manifest is stored.
    const good = 'query Fine { campaigns(first: 1) { totalCount } }';
    const bad = 'query Wrong { campaign(id: "5") { noSuchField } }';
    const mixed = write('mixed.json', JSON.stringify({ [documentHash(good)]: good, [documentHash(bad)]: bad }));
    const refused = await documents('publish', '--app', 'web', '--version', '2.0.0', mixed);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${mixed}: 1 of 2 documents do not hold against the gateway's schema; nothing was published`);
    expect(refused.stderr).toContain(`sha256:${documentHash(bad)} (Wrong)`);
    expect(refused.stderr).toContain('Cannot query field "noSuchField" on type "Campaign". (at 1:35)');
    const misnamed = await documents('publish', '--app', 'web', '--version', '2.0.0', write('misnamed.json', JSON.stringify({ ['a'.repeat(64)]: good })));
    expect(misnamed.code).toBe(1);
    expect(misnamed.stderr).toContain(`"${'a'.repeat(64)}": is not the SHA-256 of its text`);
    const usage = await documents('publish', '--app', 'web', MANIFEST);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('documents: publish needs --version');

    const list = await documents('list');
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
    expect(list.stdout).toMatch(new RegExp(`^examples@1\\.0\\.0 +${EXAMPLE_COUNT} documents  published \\d{4}-`));

    // schema.graphql as it is breaks nothing; without CampaignKpis.answerRatePct it breaks every example that reads it.
    const unchanged = await documents('check');
    expect(unchanged.stdout.trim()).toBe(`schema.graphql breaks none of the ${EXAMPLE_COUNT} documents of live manifests`);
    expect(unchanged.code).toBe(0);
    const schema = fs.readFileSync('schema.graphql', 'utf8');
    const withoutField = schema.replace(/(type CampaignKpis \{[\s\S]*?)\n(?:\s*"""[^"]*"""\n)?\s*answerRatePct: Percentage\n/, '$1\n');
    expect(withoutField).not.toBe(schema);
    const check = await documents('check', write('changed.graphql', withoutField));
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/breaks 4 of the \d+ documents of live manifests/);
    expect(check.stderr).toMatch(/\(CampaignHeadline\), used by examples@1\.0\.0\n {4}Cannot query field "answerRatePct" on type "CampaignKpis"\./);

    await withDatabase(async (db) => expect(await new Manifests(db).trusted(documentHash(good))).toBeUndefined());
    const someId = documentHash(JSON.parse(fs.readFileSync(MANIFEST, 'utf8'))[Object.keys(JSON.parse(fs.readFileSync(MANIFEST, 'utf8')))[0]!]);
    await withDatabase(async (db) => expect(await new Manifests(db).trusted(someId)).toBeDefined());
    expect((await documents('retire', '--app', 'examples', '--version', '1.0.0')).stdout.trim()).toBe('retired examples@1.0.0');
    expect((await documents('list')).stdout).toMatch(/retired \d{4}-/);
    await withDatabase(async (db) => expect(await new Manifests(db).trusted(someId)).toBeUndefined());
    const again = await documents('retire', '--app', 'examples', '--version', '1.0.0');
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('documents: examples@1.0.0 is retired already');
  }, 180_000);
});

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTestDatabase, type TestDatabase } from './database.js';
import { importNdjson, type ImportSummary, type Rejection } from '../../src/import/importer.js';
import { buildApp, type App, type AppOptions } from '../../src/server/app.js';
import { PERMISSIONS, secretKey, signToken, type TokenClaims } from '../../src/auth/tokens.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const jwtKey = secretKey(TEST_SECRET);

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Testkit {
  db: TestDatabase;
  app: App;
  url: string;
  /** Runs an operation over HTTP; `token: null` sends no Authorization header. */
  execute<T = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string | null },
  ): Promise<GraphQLResponse<T>>;
  /** Like execute, but fails the test with the whole response when it carries errors. */
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  token(claims?: Partial<TokenClaims>): Promise<string>;
  /** POSTs the records to /ingest with a token of the tenant acme that may ingest; the response's status. */
  ingest(...records: object[]): Promise<number>;
  /** Imports through the real importer; small batches by default so tests cross batch boundaries. */
  importLines(lines: string[], batchSize?: number): Promise<{ summary: ImportSummary; rejections: Rejection[] }>;
  close(): Promise<void>;
}

/**
 * With REDIS_URL set, events and export jobs go through Redis; each test database gets its own
 * export queue, as each production database would.
 */
export function redisOptions(namespace = `autocall-test-${randomBytes(6).toString('hex')}`) {
  const redisUrl = process.env.REDIS_URL;
  return redisUrl ? { redisUrl, redisNamespace: namespace } : {};
}

export const ndjson = (...records: object[]) => records.map((record) => JSON.stringify(record));

async function* iterate(lines: string[]) {
  yield* lines;
}

/** A migrated test database with a gateway listening on a free port, optionally loaded with records. */
export async function createTestkit(records: string[] = [], options: Partial<AppOptions> = {}): Promise<Testkit> {
  const db = await openTestDatabase();
  const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-exports-'));
  const app: App = buildApp({ db, jwtKey, exportStore: new LocalExportStore(exportsDir), ...redisOptions(), ...options });
  const url = `${await app.start(0)}/graphql`;
  const defaultToken = await signToken(jwtKey, { sub: 'tester', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });

  const kit: Testkit = {
    db,
    app,
    url,
    async execute(query, { variables, token = defaultToken } = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async data(query, variables) {
      const response = await kit.execute(query, { variables });
      if (response.errors?.length || response.status !== 200) {
        throw new Error(`GraphQL request failed:\n${query}\n${JSON.stringify(variables)}\n${JSON.stringify(response, null, 2)}`);
      }
      return response.data as never;
    },
    token: (claims = {}) =>
      signToken(jwtKey, { sub: 'tester', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess], ...claims }),
    async ingest(...records) {
      const response = await fetch(url.replace('/graphql', '/ingest'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await kit.token({ permissions: [PERMISSIONS.ingest] })}` },
        body: records.map((record) => JSON.stringify(record)).join('\n'),
      });
      await response.body?.cancel();
      return response.status;
    },
    async importLines(lines, batchSize = 3) {
      const rejections: Rejection[] = [];
      const summary = await importNdjson(db, iterate(lines), { batchSize, onRejected: (r) => rejections.push(r) });
      return { summary, rejections };
    },
    async close() {
      await app.stop();
      await db.dispose();
      fs.rmSync(exportsDir, { recursive: true, force: true });
    },
  };
  if (records.length > 0) {
    const { rejections } = await kit.importLines(records, 1000);
    if (rejections.length > 0) throw new Error(`fixture rejected: ${JSON.stringify(rejections)}`);
  }
  return kit;
}

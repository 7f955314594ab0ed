import fs from 'node:fs';
import { Readable } from 'node:stream';
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../config.js';
import { openConfiguredDatabase } from '../db/configured.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { migrate } from '../db/migrator.js';
import { INGEST_PATH, type IngestAnswer } from '../ingest/endpoint.js';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { loadOrCreateDevSecret } from '../auth/dev-secret.js';
import { createTopics } from '../events/pubsub.js';
import { createResponseCache } from '../cache/response-cache.js';
import { formatSummary, hasRejections, importNdjson, type ImportSummary, type Rejection } from './importer.js';
import { NEWLINE, readLines } from './lines.js';
import { runningGateway } from './running-gateway.js';

const USAGE = 'usage: npm run import -- FILE.ndjson   (use - to read standard input)';

async function main(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file || argv.length > 1) {
    console.error(USAGE);
    return 2;
  }
  if (file !== '-' && !fs.existsSync(file)) {
    console.error(`import: no such file: ${file}`);
    return 2;
  }
  const config = loadConfig();
  const input = file === '-' ? process.stdin : fs.createReadStream(file);
  const totalBytes = file === '-' ? undefined : fs.statSync(file).size;
  const bar = process.stderr.isTTY ? createProgressBar(totalBytes) : undefined;
  let bytesRead = 0;
  const progress = {
    onBytes: (bytes: number) => (bytesRead += bytes),
    onRejected: ({ line, type, reason }: Rejection) => {
      // Clear the bar's line first; the bar draws itself again on its next update.
      if (bar) process.stderr.write('\r\x1b[K');
      console.error(`line ${line}${type ? ` (${type})` : ''}: ${reason}`);
    },
    onProgress: (lines: number) => bar?.update(totalBytes === undefined ? lines : bytesRead, { lines }),
  };
  // A gateway running on the embedded database owns it: hand it the lines, so it sees them at once.
  const gateway = config.databaseUrl ? undefined : runningGateway(config.dataDir);
  const summary = gateway ? await importThroughGateway(gateway, config, input, progress) : await importDirectly(config, input, progress);
  bar?.stop();
  console.log(formatSummary(summary));
  return hasRejections(summary) ? 1 : 0;
}

interface Progress {
  onBytes: (bytes: number) => void;
  onRejected: (rejection: Rejection) => void;
  onProgress: (lines: number) => void;
}

async function importDirectly(config: Config, input: Readable, { onBytes, ...progress }: Progress): Promise<ImportSummary> {
  const db = await openConfiguredDatabase(config, { longStatements: true });
  // With Redis, running gateways hear of each committed batch and push to their subscribers.
  const topics = createTopics(config.redisUrl, config.redisNamespace);
  // With Redis the gateways' cached answers are there too: drop those of the campaigns imported.
  const responseCache = createResponseCache({ ttlSeconds: config.responseCacheSeconds, redisUrl: config.redisUrl, namespace: config.redisNamespace });
  try {
    await migrate(db);
    const summary = await importNdjson(db, readLines(input, onBytes), {
      ...progress,
      onCommitted: async (campaignIds, campaignRecords) => {
        const committedAt = Date.now();
        if (config.redisUrl) await responseCache.invalidateCampaigns(campaignIds, campaignRecords);
        for (const id of campaignIds) void topics.pubsub.publish('campaign', String(id), { id: String(id), committedAt });
      },
    });
    await vacuumAnalyze(db);
    return summary;
  } finally {
    await Promise.all([topics.close(), responseCache.close()]);
    await db.close();
  }
}

/** Streams the input to the gateway's POST /ingest with a token for any tenant, as this command may write. */
async function importThroughGateway(url: string, config: Config, input: Readable, { onBytes, onRejected, onProgress }: Progress): Promise<ImportSummary> {
  const key = secretKey(config.jwtSecret ?? loadOrCreateDevSecret(config.dataDir));
  const token = await signToken(key, { sub: 'npm run import', tenantId: '*', permissions: [PERMISSIONS.importAnyTenant] });
  // The gateway answers once at the end; meanwhile the lines it has taken are the progress. It reads
  // the body as it writes it, so what has been sent is at most a socket buffer ahead of what it wrote.
  let linesSent = 0;
  input.on('data', (chunk: Buffer) => {
    onBytes(chunk.length);
    for (let at = chunk.indexOf(NEWLINE); at >= 0; at = chunk.indexOf(NEWLINE, at + 1)) linesSent += 1;
    onProgress(linesSent);
  });
  const response = await fetch(`${url}${INGEST_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
    body: Readable.toWeb(input) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const answer = (await response.json()) as IngestAnswer;
  if (response.status !== 200 && response.status !== 422) {
    throw new Error(`the gateway running on this DATA_DIR (${url}) refused it: ${answer.error ?? response.status}`);
  }
  const summary: ImportSummary = { imported: answer.imported, rejected: { campaign: 0, lead: 0, call: 0, unknown: 0 } };
  for (const rejection of answer.rejected) {
    summary.rejected[rejection.type ?? 'unknown'] += 1;
    onRejected({ ...rejection, type: rejection.type ?? undefined });
  }
  return summary;
}

function createProgressBar(totalBytes: number | undefined) {
  const format =
    totalBytes === undefined
      ? 'importing {value} lines'
      : 'importing [{bar}] {percentage}% | {lines} lines | ETA {eta}s';
  const bar = new cliProgress.SingleBar({ format, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(totalBytes ?? 0, 0, { lines: 0 });
  return bar;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);

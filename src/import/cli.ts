import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../db/configured.js';
import { vacuumAnalyze } from '../db/maintenance.js';
import { migrate } from '../db/migrator.js';
import { readLines } from './lines.js';
import { formatSummary, hasRejections, importNdjson } from './importer.js';

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
  const db = await openConfiguredDatabase(loadConfig(), { longStatements: true });
  try {
    await migrate(db);
    const input = file === '-' ? process.stdin : fs.createReadStream(file);
    const totalBytes = file === '-' ? undefined : fs.statSync(file).size;
    const bar = process.stderr.isTTY ? createProgressBar(totalBytes) : undefined;
    let bytesRead = 0;
    const lines = readLines(input, (bytes) => (bytesRead += bytes));
    const summary = await importNdjson(db, lines, {
      onRejected: ({ line, type, reason }) => {
        const message = `line ${line}${type ? ` (${type})` : ''}: ${reason}`;
        // Clear the bar's line first; the bar draws itself again on its next update.
        if (bar) process.stderr.write('\r\x1b[K');
        console.error(message);
      },
      onProgress: (lines) => bar?.update(totalBytes === undefined ? lines : bytesRead, { lines }),
    });
    bar?.stop();
    await vacuumAnalyze(db);
    console.log(formatSummary(summary));
    return hasRejections(summary) ? 1 : 0;
  } finally {
    await db.close();
  }
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

// The process in which createEmbeddedDatabase (./prepare.ts) creates the embedded database of DATA_DIR.
import { openDatabase } from './client.js';
import { prepareDatabase } from './prepare.js';

try {
  const db = await openDatabase({ kind: 'embedded', dataDir: process.env.DATA_DIR! });
  try {
    await prepareDatabase(db);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

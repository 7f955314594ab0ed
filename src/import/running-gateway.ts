import fs from 'node:fs';
import path from 'node:path';

/**
 * A gateway on the embedded database owns it, so an import must go through that gateway. The
 * gateway leaves its address in DATA_DIR while it runs; the import command looks for it there.
 */
const FILE = 'gateway.json';

interface GatewayNote {
  url: string;
  pid: number;
}

export function announceGateway(dataDir: string, url: string): () => void {
  const file = path.join(dataDir, FILE);
  fs.writeFileSync(file, JSON.stringify({ url, pid: process.pid } satisfies GatewayNote));
  return () => fs.rmSync(file, { force: true });
}

/** The URL of the gateway running on this DATA_DIR, if one is. */
export function runningGateway(dataDir: string): string | undefined {
  let note: GatewayNote;
  try {
    note = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as GatewayNote;
  } catch {
    return undefined;
  }
  try {
    process.kill(note.pid, 0); // throws when no such process: a note a killed gateway left behind
    return note.url;
  } catch {
    return undefined;
  }
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How long the gateway is left alone before its RSS is read: long enough for start-up garbage to go. */
const SETTLE_MS = 8_000;

/** The resident set of a process in MB, from /proc (Linux). */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/**
 * Starts the embedded gateway as npm start does (dist/main.js with package.json's Node flags) on a
 * new DATA_DIR, which loads the demo data, and again on the same directory; prints its idle RSS
 * after each start.
 */
export async function timeEmbeddedIdleRss(): Promise<void> {
  const nodeFlags = (process.env.npm_package_config_node_flags ?? '').split(' ').filter(Boolean);
  const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-bench-embedded-'));
  const port = 4700 + Math.floor(Math.random() * 200);
  console.log('\nembedded gateway (npm start without DATABASE_URL, demo data), idle RSS');
  try {
    for (const start of ['first start (creates the database, loads the demo data)', 'restart on the same DATA_DIR']) {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port) };
      delete env.DATABASE_URL;
      delete env.REDIS_URL;
      const child = spawn(process.execPath, [...nodeFlags, main], { env, stdio: 'ignore' });
      try {
        await waitForHealth(`http://127.0.0.1:${port}/healthz`);
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        console.log(`${start}: ${rssMb(child.pid!).toFixed(0)} MB`);
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitForHealth(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the embedded gateway did not answer ${url}`);
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../http/free-port.js';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

export interface GatewayProcess {
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A gateway as `npm start` runs it (compiled, with package.json's Node flags, a process of its own)
 * on the PostgreSQL database `databaseUrl`, without Redis and with the rate limits and cost budgets off; resolves
 * once it is healthy.
 */
export async function startGateway(databaseUrl: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const nodeFlags = (process.env.npm_package_config_node_flags ?? '').split(' ').filter(Boolean);
  const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-bench-gateway-'));
  const child = spawn(process.execPath, [...nodeFlags, main], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      AUTH_JWT_SECRET: BENCH_SECRET,
      PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_URL: '',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_TENANT_PER_MINUTE: '0',
      RATE_LIMIT_COST_PER_SECOND: '0',
      RATE_LIMIT_TENANT_COST_PER_SECOND: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, process: child, stop };
}

async function waitForHealth(base: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const healthy = await fetch(`${base}/healthz`).then((response) => response.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the gateway did not become healthy within 60 s');
}

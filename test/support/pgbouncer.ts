import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/http/free-port.js';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  /** A URL through it, `?pgbouncer=true` included. */
  url(database?: string): string;
  stop(): Promise<void>;
}

/**
 * Debian's PgBouncer in transaction pooling mode in front of the PostgreSQL at `port`, every
 * database name passed through (the tests create databases of their own), run as the postgres user
 * (it refuses to run as root), on a free port.
 */
export async function startPgBouncer(serverPort: number, { poolSize = 10 } = {}): Promise<PgBouncer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-pgbouncer-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'users.txt'), '"postgres" ""\n');
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=127.0.0.1 port=${serverPort}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${dir}/users.txt`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 1000',
      `logfile = ${dir}/pgbouncer.log`,
      `pidfile = ${dir}/pgbouncer.pid`,
      '',
    ].join('\n'),
  );
  fs.chmodSync(dir, 0o777);
  const child = spawn('runuser', ['-u', 'postgres', '--', PGBOUNCER, path.join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(path.join(dir, 'pgbouncer.pid'))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pgbouncer did not start: ${fs.readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}?pgbouncer=true`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

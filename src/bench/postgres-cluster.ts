import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../http/free-port.js';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries: initdb, pg_ctl and pg_basebackup. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
/** Whether this machine can start a cluster of the test's own: the binaries, and root to run them as postgres. */
export const canStartPostgres = fs.existsSync(path.join(PG_BIN, 'initdb')) && process.getuid?.() === 0;

export interface PostgresServer {
  url: (database?: string) => string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface PostgresCluster {
  primary: PostgresServer;
  /** A streaming replica of the primary (pg_basebackup -R), when asked for. */
  replica?: PostgresServer;
  close(): Promise<void>;
}

const asPostgres = (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, command), ...args]);

function server(dir: string, port: number): PostgresServer {
  const pgCtl = (...args: string[]) => asPostgres('pg_ctl', ['-D', dir, '-l', `${dir}.log`, '-w', ...args]);
  return {
    port,
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start: async () => void (await pgCtl('start')),
    stop: async () => void (await pgCtl('stop', '-m', 'fast')),
  };
}

/**
 * A PostgreSQL primary of the test's own in a temporary directory (the shared server allows no
 * replication), and optionally a streaming replica of it, each on a free port; fsync off, since
 * nothing outlives the test.
 */
export async function startPostgresCluster({ replica = false } = {}): Promise<PostgresCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-cluster-'));
  fs.chmodSync(root, 0o755);
  fs.chownSync(root, ...postgresIds());
  const primaryDir = path.join(root, 'primary');
  await asPostgres('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
  const primaryPort = await freePort();
  fs.appendFileSync(
    path.join(primaryDir, 'postgresql.conf'),
    [`port = ${primaryPort}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${root}'`, 'fsync = off', 'wal_writer_delay = 10ms', 'wal_level = replica', 'max_wal_senders = 4', 'max_connections = 200', ''].join('\n'),
  );
  fs.appendFileSync(path.join(primaryDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
  const primary = server(primaryDir, primaryPort);
  await primary.start();
  const servers = [primary];
  let standby: PostgresServer | undefined;
  if (replica) {
    const replicaDir = path.join(root, 'replica');
    await asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream']);
    const replicaPort = await freePort();
    fs.appendFileSync(path.join(replicaDir, 'postgresql.conf'), `port = ${replicaPort}\nhot_standby = on\n`);
    standby = server(replicaDir, replicaPort);
    await standby.start();
    servers.push(standby);
  }
  return {
    primary,
    replica: standby,
    close: async () => {
      for (const each of servers.reverse()) await each.stop().catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function postgresIds(): [number, number] {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'))!;
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

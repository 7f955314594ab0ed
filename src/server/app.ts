import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RedisQueue } from '../exports/job-queue.js';
import { ExportWorker } from '../exports/worker.js';
import { createTopics } from './pubsub.js';
import { attachGraphqlWs } from './websocket.js';
import { buildYoga, type YogaOptions } from './yoga.js';

const SWEEP_INTERVAL_MS = 60_000;

export interface AppOptions extends Omit<YogaOptions, 'worker' | 'pubsub'> {
  /** Where export files are written: DATA_DIR/exports. */
  exportsDir: string;
  /** With Redis, events and export jobs are shared by every instance. */
  redisUrl?: string;
  /** False: this instance queues export jobs but leaves running them to others (Redis only). */
  runExports?: boolean;
  /** The BullMQ queue's name; instances that share a database share it. */
  exportQueueName?: string;
}

export interface App {
  yoga: ReturnType<typeof buildYoga>;
  worker: ExportWorker;
  server: http.Server;
  /** Listens on the port (0 picks a free one) and resolves to the URL it serves. */
  start(port: number): Promise<string>;
  stop(): Promise<void>;
}

export function buildApp({ exportsDir, redisUrl, runExports = true, exportQueueName, ...options }: AppOptions): App {
  const topics = createTopics(redisUrl);
  const pubsub = topics.pubsub;
  const worker = new ExportWorker(
    options.db,
    pubsub,
    exportsDir,
    redisUrl ? (run) => new RedisQueue(redisUrl, run, { processJobs: runExports, name: exportQueueName }) : undefined,
  );
  const yoga = buildYoga({ ...options, worker, pubsub });
  const server = http.createServer(yoga);
  const graphqlWs = attachGraphqlWs(server, yoga, options.jwtKey);
  let sweeper: NodeJS.Timeout | undefined;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    yoga,
    worker,
    server,
    start: async (port) => {
      await worker.resume();
      // Now and then: expire lapsed downloads, and queue jobs whose worker (here or elsewhere) died.
      sweeper ??= setInterval(
        () => void Promise.all([worker.sweep(), worker.resume()]).catch((error) => console.error('export housekeeping failed', error)),
        SWEEP_INTERVAL_MS,
      );
      sweeper.unref();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://localhost:${bound}`);
        });
      });
    },
    stop: async () => {
      clearInterval(sweeper);
      await graphqlWs.dispose();
      await new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      await worker.close();
      await topics.close();
    },
  };
}

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ExportWorker } from '../exports/worker.js';
import { createTopics } from './pubsub.js';
import { attachGraphqlWs } from './websocket.js';
import { buildYoga, type YogaOptions } from './yoga.js';

const SWEEP_INTERVAL_MS = 60_000;

export interface AppOptions extends Omit<YogaOptions, 'worker' | 'pubsub'> {
  /** Where export files are written: DATA_DIR/exports. */
  exportsDir: string;
}

export interface App {
  yoga: ReturnType<typeof buildYoga>;
  worker: ExportWorker;
  server: http.Server;
  /** Listens on the port (0 picks a free one) and resolves to the URL it serves. */
  start(port: number): Promise<string>;
  stop(): Promise<void>;
}

export function buildApp({ exportsDir, ...options }: AppOptions): App {
  const pubsub = createTopics();
  const worker = new ExportWorker(options.db, pubsub, exportsDir);
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
      sweeper ??= setInterval(() => void worker.sweep().catch((error) => console.error('export sweep failed', error)), SWEEP_INTERVAL_MS);
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
      await worker.idle();
    },
  };
}

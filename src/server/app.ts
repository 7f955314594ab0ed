import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildYoga, type YogaOptions } from './yoga.js';

export interface App {
  yoga: ReturnType<typeof buildYoga>;
  server: http.Server;
  /** Listens on the port (0 picks a free one) and resolves to the URL it serves. */
  start(port: number): Promise<string>;
  stop(): Promise<void>;
}

export function buildApp(options: YogaOptions): App {
  const yoga = buildYoga(options);
  const server = http.createServer(yoga);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    yoga,
    server,
    start: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://localhost:${bound}`);
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

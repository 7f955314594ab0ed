import type http from 'node:http';
import net, { type Socket } from 'node:net';

/** How long a stopping server keeps listening for requests that were already on their way. */
const SETTLE_MS = 100;
/** How long ended connections may take to flush and close once every request is done. */
const LINGER_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves after the event loop's next poll phase, where it accepts connections and reads requests. */
const afterPoll = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Tracks a server's requests so that it can stop without cutting any: stop accepting, end the
 * event streams (their clients reconnect elsewhere; they would never finish by themselves), let
 * every other in-flight request finish within a grace period, and only then close what is left.
 */
export function drainable(server: http.Server) {
  const inFlight = new Set<http.ServerResponse>();
  const eventStreams = new WeakSet<http.ServerResponse>();
  const sockets = new Set<Socket>();
  let draining = false;
  let accepted = 0;
  server.on('connection', (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (request, response) => {
    inFlight.add(response);
    // GraphQL over SSE: yoga answers with an event stream when the client accepts one.
    if (request.headers.accept?.includes('text/event-stream')) eventStreams.add(response);
    response.once('close', () => inFlight.delete(response));
    // A request that slipped in on a kept-alive connection is the last one on it.
    if (draining) response.shouldKeepAlive = false;
  });

  /** Ends kept-alive connections that carry no request (unlike http.Server#closeIdleConnections, which destroys them unflushed). */
  const endIdleConnections = () => {
    const busy = new Set([...inFlight].map((response) => response.socket));
    for (const socket of sockets) if (!busy.has(socket)) socket.end();
  };

  return {
    /** Resolves with how many requests were still running when the grace period ran out. */
    async drain(graceMs: number): Promise<{ cut: number }> {
      draining = true;
      const deadline = Date.now() + graceMs;
      // Connections the kernel has already accepted for us wait in its queue, and Node takes only one
      // per poll phase: closing the listener now would reset them. So keep polling until a phase
      // takes none. Requests on accepted connections may still be unread: act on "idle" connections
      // only right after a poll phase, and keep every open connection when the listener closes.
      await pause(Math.min(SETTLE_MS, graceMs));
      for (let before = -1; before !== accepted && Date.now() < deadline; ) {
        before = accepted;
        await afterPoll();
      }
      const closed = new Promise((resolve) => net.Server.prototype.close.call(server, resolve));
      for (const response of inFlight) {
        response.shouldKeepAlive = false;
        // End the stream properly, then drop the connection: the handler behind it keeps writing.
        if (eventStreams.has(response)) response.end(() => response.destroy());
      }
      for (;;) {
        await afterPoll();
        if (inFlight.size === 0 || Date.now() >= deadline) break;
        endIdleConnections();
        await pause(20);
      }
      const cut = inFlight.size;
      for (const response of inFlight) response.socket?.destroy();
      // Ending rather than destroying lets the last responses flush; a peer that stays is cut below.
      for (const socket of sockets) socket.end();
      await Promise.race([closed, pause(Math.max(LINGER_MS, deadline - Date.now()))]);
      for (const socket of sockets) socket.destroy();
      await closed;
      return { cut };
    },
  };
}

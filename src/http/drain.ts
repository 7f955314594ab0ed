import type http from 'node:http';
import net, { type Socket } from 'node:net';

/** How long a stopping server keeps listening for requests that were already on their way. */
const SETTLE_MS = 100;
/** How long ended connections may take to flush and close once every request is done. */
const LINGER_MS = 1_000;
/**
 * How long a kept-alive connection must have been quiet before a stopping server ends it: a client
 * that got its answer a moment ago may be sending its next request on it right now, and a connection
 * ended under that request resets it. Requests that do come get their answer with Connection: close.
 */
const QUIET_MS = 250;

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
  /** Open connections, with when each last began or finished a request (or was accepted). */
  const sockets = new Map<Socket, number>();
  const ended = new WeakSet<Socket>();
  /** Set once the listener is closed: from then on every answer is the last on its connection. */
  let closing = false;
  let accepted = 0;
  server.on('connection', (socket) => {
    accepted += 1;
    sockets.set(socket, Date.now());
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (request, response) => {
    inFlight.add(response);
    const socket = request.socket;
    sockets.set(socket, Date.now());
    // GraphQL over SSE: yoga answers with an event stream when the client accepts one.
    if (request.headers.accept?.includes('text/event-stream')) eventStreams.add(response);
    response.once('close', () => {
      inFlight.delete(response);
      if (sockets.has(socket)) sockets.set(socket, Date.now());
    });
    // A request that slipped in on a kept-alive connection is the last one on it.
    if (closing) response.shouldKeepAlive = false;
  });

  /**
   * Ends kept-alive connections that carry no request and have been quiet for QUIET_MS (unlike
   * http.Server#closeIdleConnections, which destroys them unflushed); true when none is left open
   * that has not been ended.
   */
  const endQuietConnections = () => {
    const busy = new Set([...inFlight].map((response) => response.socket));
    const quietSince = Date.now() - QUIET_MS;
    let open = 0;
    for (const [socket, lastActive] of sockets) {
      if (ended.has(socket)) continue;
      if (busy.has(socket) || lastActive > quietSince) {
        open += 1;
      } else {
        ended.add(socket);
        socket.end();
      }
    }
    return open === 0;
  };

  return {
    /** Resolves with how many requests were still running when the grace period ran out. */
    async drain(graceMs: number): Promise<{ cut: number }> {
      const deadline = Date.now() + graceMs;
      // Connections the kernel has already accepted for us wait in its queue, and Node takes only one
      // per poll phase: closing the listener now would reset them. So keep polling until a phase
      // takes none. Requests on accepted connections may still be unread: act on "idle" connections
      // only right after a poll phase, and keep every open connection when the listener closes.
      // Until then answers keep their connections: a client told Connection: close now would
      // reconnect at once, and a connection still queued when the listener closes is reset.
      await pause(Math.min(SETTLE_MS, graceMs));
      for (let before = -1; before !== accepted && Date.now() < deadline; ) {
        before = accepted;
        await afterPoll();
      }
      const closed = new Promise((resolve) => net.Server.prototype.close.call(server, resolve));
      closing = true;
      for (const response of inFlight) {
        response.shouldKeepAlive = false;
        // End the stream properly, then drop the connection: the handler behind it keeps writing.
        if (eventStreams.has(response)) response.end(() => response.destroy());
      }
      for (;;) {
        await afterPoll();
        if (endQuietConnections() || Date.now() >= deadline) break;
        await pause(20);
      }
      const cut = inFlight.size;
      for (const response of inFlight) response.socket?.destroy();
      // Ending rather than destroying lets the last responses flush; a peer that stays is cut below.
      for (const socket of sockets.keys()) socket.end();
      await Promise.race([closed, pause(Math.max(LINGER_MS, deadline - Date.now()))]);
      for (const socket of sockets.keys()) socket.destroy();
      await closed;
      return { cut };
    },
  };
}

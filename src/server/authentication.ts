import type { Plugin } from 'graphql-yoga';
import { authenticate, type Viewer } from '../auth/tokens.js';

/**
 * Authenticates an HTTP request as soon as its GraphQL parameters are read, before the document is
 * parsed or validated: a caller without a valid token gets its 401 without costing a parse, and
 * never sees validation messages (such as field suggestions) that would map the schema for it.
 * The context factory then takes the viewer found here; a WebSocket operation, which does not pass
 * this hook, is authenticated by the context factory itself.
 */
export function useEarlyAuthentication(jwtKey: Uint8Array) {
  const viewers = new WeakMap<Request, Promise<Viewer>>();
  const viewerOf = (request: Request) => {
    let viewer = viewers.get(request);
    if (!viewer) viewers.set(request, (viewer = authenticate(request.headers.get('authorization'), jwtKey)));
    return viewer;
  };
  const plugin: Plugin = {
    async onParams({ request }) {
      await viewerOf(request);
    },
  };
  return { plugin, viewerOf };
}

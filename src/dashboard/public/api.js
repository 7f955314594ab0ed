// How the dashboard talks to the gateway: queries over HTTP, campaignUpdated over graphql-ws,
// both with the same bearer token.

const TOKEN_KEY = 'autocall-token';

/** The development token the page carries in embedded mode, else the one entered in this tab. */
export function savedToken() {
  const development = document.querySelector('meta[name="autocall-development-token"]');
  return development?.content || sessionStorage.getItem(TOKEN_KEY) || undefined;
}

export const saveToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

/** The token was refused: the page asks for another. */
export class TokenRefused extends Error {}

const GRAPHQL_PATH = '/graphql';

/** Runs a query by its document id (see documents.js); resolves to its data, rejects with the first error's message. */
export async function query(token, documentId, variables = {}) {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ documentId, variables }),
  });
  const result = await response.json();
  const error = result.errors?.[0];
  if (response.status === 401 || error?.extensions?.code === 'UNAUTHENTICATED' || error?.extensions?.code === 'FORBIDDEN') {
    throw new TokenRefused(error?.message ?? 'The token was refused.');
  }
  if (error) throw new Error(error.message);
  return result.data;
}

/** The gateway closes a socket whose token it refuses (or that expired) with 4403. */
const FORBIDDEN = 4403;

/**
 * One graphql-ws connection for the page. It reconnects by itself (with back-off) after a network
 * problem, but not after a refused token. `onState` hears 'connected' and 'reconnecting'.
 */
export function liveConnection(token, onState) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`;
  return globalThis.graphqlWs.createClient({
    url,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: (event) => event?.code !== FORBIDDEN,
    on: {
      connected: () => onState('connected'),
      closed: (event) => onState(event?.code === FORBIDDEN ? 'refused' : 'reconnecting'),
    },
  });
}

/**
 * Subscribes to the document `documentId` names; `onData` gets every pushed result's data,
 * `onError` a message (or TokenRefused). Returns the function that stops it.
 */
export function subscribe(client, documentId, variables, { onData, onError }) {
  // graphql-ws wants a query string in every message: empty, with the id beside it.
  return client.subscribe(
    { query: '', documentId, variables },
    {
      next: (result) => (result.errors?.length ? onError(new Error(result.errors[0].message)) : onData(result.data)),
      error: (error) => {
        const refused = error?.code === FORBIDDEN;
        onError(refused ? new TokenRefused('The token was refused or has expired.') : new Error(error?.message ?? error?.reason ?? 'The live connection failed.'));
      },
      complete: () => {},
    },
  );
}

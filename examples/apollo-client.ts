// Apollo Client (v4) against the gateway, sending trusted documents' ids and never their text: the
// operations' hashes come from `npm run codegen` (document.__meta__.hash; the manifest it writes,
// examples/gql/persisted-documents.json, is what `npm run documents -- publish` takes). Queries and
// mutations go over HTTP through Apollo's PersistedQueryLink (queries as cacheable GETs);
// subscriptions over graphql-ws, or over Server-Sent Events with graphql-sse's client in its
// "distinct connections" mode, which speaks the gateway's SSE. Run it to print the first push of a campaign:
//
//   GATEWAY_URL=http://localhost:4000/graphql AUTOCALL_TOKEN=… TRANSPORT=sse npx tsx examples/apollo-client.ts
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { getMainDefinition } from '@apollo/client/utilities';
import type { DocumentNode } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

/** The trusted document's id that codegen put in the document. */
const documentIdOf = (document: DocumentNode) => `sha256:${(document as DocumentNode & { __meta__: { hash: string } }).__meta__.hash}`;

/** Subscriptions by id over a graphql-ws or graphql-sse client (both want a query string: empty, with the id beside it). */
function subscriptionLink(client: { subscribe: ReturnType<typeof createWsClient>['subscribe'] }): ApolloLink {
  return new ApolloLink(
    (operation) =>
      new Observable((observer) =>
        client.subscribe({ query: '', documentId: documentIdOf(operation.query), variables: operation.variables, operationName: operation.operationName } as never, {
          next: (result) => observer.next(result as never),
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        }),
      ),
  );
}

export function apolloClient(url: string, token: string, transport: 'ws' | 'sse'): ApolloClient {
  // Ids only: a document the gateway does not know is an error, not a reason to send the text.
  const persisted = new PersistedQueryLink({ generateHash: (document) => documentIdOf(document).slice('sha256:'.length), useGETForHashedQueries: true, retry: () => false });
  const http = persisted.concat(new HttpLink({ uri: url, headers: { Authorization: `Bearer ${token}` } }));
  const subscriptions = subscriptionLink(
    transport === 'ws'
      ? createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } })
      : createSseClient({ url, headers: { Authorization: `Bearer ${token}` } }),
  );
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  return new ApolloClient({ link: ApolloLink.split(isSubscription, subscriptions, http), cache: new InMemoryCache() });
}

const CampaignHeadline = graphql(`
  query CampaignHeadline($id: ID!) {
    campaign(id: $id) { id name kpis { dialed answered answerRatePct } }
  }
`);

const CampaignKpis = graphql(`
  subscription CampaignKpis($id: ID!) {
    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }
  }
`);

// Prints the campaign as a query over HTTP finds it, then its first push.
if (import.meta.url === `file://${process.argv[1]}`) {
  const transport = process.env.TRANSPORT === 'sse' ? 'sse' : 'ws';
  const client = apolloClient(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql', process.env.AUTOCALL_TOKEN ?? '', transport);
  const variables = { id: process.env.CAMPAIGN_ID ?? '5' };
  try {
    const { data, error } = await client.query({ query: CampaignHeadline, variables });
    if (error) throw error;
    console.log(JSON.stringify({ client: 'apollo', transport: 'http', campaign: data?.campaign }));
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
  const subscription = client.subscribe({ query: CampaignKpis, variables }).subscribe({
    next: ({ data, error }) => {
      if (error) throw error;
      console.log(JSON.stringify({ client: 'apollo', transport, campaign: data?.campaignUpdated }));
      subscription.unsubscribe();
      client.stop();
      process.exit(0);
    },
    error: (error) => {
      console.error(error);
      process.exit(1);
    },
  });
}

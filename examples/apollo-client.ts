// Apollo Client (v4) against the gateway: queries and mutations over HTTP, subscriptions over
// graphql-ws or over Server-Sent Events (graphql-sse's client, in its "distinct connections" mode,
// speaks the gateway's SSE). Run it to print the first push of a campaign:
//
//   GATEWAY_URL=http://localhost:4000/graphql AUTOCALL_TOKEN=… TRANSPORT=sse npx tsx examples/apollo-client.ts
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { print } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

/** Subscriptions as Server-Sent Events: one streamed POST per subscription. */
function sseLink(url: string, token: string): ApolloLink {
  const client = createSseClient({ url, headers: { Authorization: `Bearer ${token}` } });
  return new ApolloLink(
    (operation) =>
      new Observable((observer) =>
        client.subscribe({ query: print(operation.query), variables: operation.variables, operationName: operation.operationName }, {
          next: (result) => observer.next(result as never),
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        }),
      ),
  );
}

export function apolloClient(url: string, token: string, transport: 'ws' | 'sse'): ApolloClient {
  const http = new HttpLink({ uri: url, headers: { Authorization: `Bearer ${token}` } });
  const subscriptions =
    transport === 'ws'
      ? new GraphQLWsLink(
          createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } }),
        )
      : sseLink(url, token);
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  return new ApolloClient({ link: ApolloLink.split(isSubscription, subscriptions, http), cache: new InMemoryCache() });
}

const CampaignKpis = graphql(`
  subscription CampaignKpis($id: ID!) {
    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }
  }
`);

if (import.meta.url === `file://${process.argv[1]}`) {
  const transport = process.env.TRANSPORT === 'sse' ? 'sse' : 'ws';
  const client = apolloClient(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql', process.env.AUTOCALL_TOKEN ?? '', transport);
  const subscription = client.subscribe({ query: CampaignKpis, variables: { id: process.env.CAMPAIGN_ID ?? '5' } }).subscribe({
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

// urql against the gateway, sending trusted documents' ids and never their text (urql's persisted
// exchange, with the hashes `npm run codegen` put in the documents; queries as cacheable GETs):
// subscriptions over graphql-ws, or over Server-Sent Events with urql's own fetchSubscriptions.
// Run it to print a campaign, then its first push:
//
//   GATEWAY_URL=http://localhost:4000/graphql AUTOCALL_TOKEN=… TRANSPORT=sse npx tsx examples/urql-client.ts
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

export function urqlClient(url: string, token: string, transport: 'ws' | 'sse'): Client {
  const fetchOptions = { headers: { Authorization: `Bearer ${token}` } };
  // Ids only, for every kind of operation: the hash codegen put in the document (document.__meta__.hash).
  const persisted = persistedExchange({
    enforcePersistedQueries: true,
    enableForMutation: true,
    enableForSubscriptions: true,
    preferGetForPersistedQueries: true,
    generateHash: async (_text, document) => (document as { __meta__?: { hash: string } }).__meta__?.hash,
  });
  if (transport === 'sse') return new Client({ url, fetchOptions, fetchSubscriptions: true, exchanges: [persisted, fetchExchange] });
  const ws = createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });
  return new Client({
    url,
    fetchOptions,
    exchanges: [
      persisted,
      fetchExchange,
      subscriptionExchange({
        // The persisted exchange left the text out; graphql-ws wants a string there.
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}

const CampaignHeadline = graphql(`
  query CampaignHeadline($id: ID!) {
    campaign(id: $id) { id name kpis { dialed answered answerRatePct } }
  }
`);

const CampaignDials = graphql(`
  subscription CampaignDials($id: ID!) {
    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }
  }
`);

if (import.meta.url === `file://${process.argv[1]}`) {
  const transport = process.env.TRANSPORT === 'sse' ? 'sse' : 'ws';
  const client = urqlClient(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql', process.env.AUTOCALL_TOKEN ?? '', transport);
  const variables = { id: process.env.CAMPAIGN_ID ?? '5' };
  const fail = (error: unknown) => {
    console.error(error);
    process.exit(1);
  };
  const headline = await client.query(CampaignHeadline, variables).toPromise();
  if (headline.error) fail(headline.error);
  console.log(JSON.stringify({ client: 'urql', transport: 'http', campaign: headline.data?.campaign }));
  const { unsubscribe } = client.subscription(CampaignDials, variables).subscribe((result) => {
    if (result.error) fail(result.error);
    console.log(JSON.stringify({ client: 'urql', transport, campaign: result.data?.campaignUpdated }));
    unsubscribe();
    process.exit(0);
  });
}

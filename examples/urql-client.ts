// urql against the gateway: subscriptions over graphql-ws, or over Server-Sent Events with urql's
// own fetchSubscriptions (no extra package). Run it to print the first push of a campaign:
//
//   GATEWAY_URL=http://localhost:4000/graphql AUTOCALL_TOKEN=… TRANSPORT=sse npx tsx examples/urql-client.ts
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

export function urqlClient(url: string, token: string, transport: 'ws' | 'sse'): Client {
  const fetchOptions = { headers: { Authorization: `Bearer ${token}` } };
  if (transport === 'sse') return new Client({ url, fetchOptions, fetchSubscriptions: true, exchanges: [fetchExchange] });
  const ws = createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });
  return new Client({
    url,
    fetchOptions,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}

const CampaignDials = graphql(`
  subscription CampaignDials($id: ID!) {
    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }
  }
`);

if (import.meta.url === `file://${process.argv[1]}`) {
  const transport = process.env.TRANSPORT === 'sse' ? 'sse' : 'ws';
  const client = urqlClient(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql', process.env.AUTOCALL_TOKEN ?? '', transport);
  const { unsubscribe } = client.subscription(CampaignDials, { id: process.env.CAMPAIGN_ID ?? '5' }).subscribe((result) => {
    if (result.error) {
      console.error(result.error);
      process.exit(1);
    }
    console.log(JSON.stringify({ client: 'urql', transport, campaign: result.data?.campaignUpdated }));
    unsubscribe();
    process.exit(0);
  });
}

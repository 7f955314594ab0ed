// A typed client of the gateway over graphql-ws: it follows a campaign's headline numbers as they
// change, and exports the campaign's KPIs, following the job to READY. The operations' types and
// their trusted documents' ids come from `npm run codegen` (./gql): it sends ids, never text.
//
//   GATEWAY_URL=ws://localhost:4000/graphql AUTOCALL_TOKEN=… CAMPAIGN_ID=5 npx tsx examples/live-client.ts
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

const CampaignLive = graphql(`
  subscription CampaignLive($id: ID!) {
    campaignUpdated(id: $id) {
      name
      dataUpdatedAt
      kpis { dialed answered answerRatePct }
    }
  }
`);

const ExportKpis = graphql(`
  mutation ExportKpis($campaignId: ID!) {
    exportReport(input: { campaignId: $campaignId, reportType: KPIS }) { id status estimatedSeconds }
  }
`);

const FollowExport = graphql(`
  subscription FollowExport($id: ID!) {
    exportJobUpdated(id: $id) { status progressPct downloadUrl error }
  }
`);

/** Every result of an operation, typed by its document; throws on GraphQL errors. graphql-ws wants a query string: empty, with the id beside it. */
async function* results<Result, Variables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): AsyncGenerator<Result> {
  const documentId = `sha256:${(document as { __meta__?: { hash: string } }).__meta__!.hash}`;
  for await (const result of client.iterate<Result>({ query: '', documentId, variables } as never)) {
    if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
    yield result.data!;
  }
}

async function followCampaign(client: Client, id: string, updates: number): Promise<void> {
  let seen = 0;
  for await (const { campaignUpdated: campaign } of results(client, CampaignLive, { id })) {
    const { dialed, answered, answerRatePct } = campaign.kpis;
    console.log(`campaign ${campaign.name}: dialed ${dialed}, answered ${answered} (${answerRatePct ?? '-'} %), data of ${campaign.dataUpdatedAt ?? 'never'}`);
    if (++seen === updates) return;
  }
}

async function exportKpis(client: Client, campaignId: string): Promise<void> {
  const { value: started } = await results(client, ExportKpis, { campaignId }).next();
  const job = started!.exportReport;
  console.log(`export ${job.id}: ${job.status}, about ${job.estimatedSeconds ?? '?'} s`);
  for await (const { exportJobUpdated: state } of results(client, FollowExport, { id: job.id })) {
    console.log(`export ${job.id}: ${state.status} ${state.progressPct ?? ''}`.trimEnd());
    if (state.status === 'READY') console.log(`download: ${state.downloadUrl}`);
    if (state.status === 'FAILED') throw new Error(state.error ?? 'export failed');
  }
}

const client = createClient({
  url: process.env.GATEWAY_URL ?? 'ws://localhost:4000/graphql',
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${process.env.AUTOCALL_TOKEN}` },
});
try {
  const campaignId = process.env.CAMPAIGN_ID ?? '5';
  await Promise.all([followCampaign(client, campaignId, Number(process.env.UPDATES ?? 2)), exportKpis(client, campaignId)]);
} finally {
  await client.dispose();
}

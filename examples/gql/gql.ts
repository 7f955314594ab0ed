/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CampaignHeadline($id: ID!) {\n    campaign(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n": typeof types.CampaignHeadlineDocument,
    "\n  subscription CampaignKpis($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n": typeof types.CampaignKpisDocument,
    "\n  subscription CampaignLive($id: ID!) {\n    campaignUpdated(id: $id) {\n      name\n      dataUpdatedAt\n      kpis { dialed answered answerRatePct }\n    }\n  }\n": typeof types.CampaignLiveDocument,
    "\n  mutation ExportKpis($campaignId: ID!) {\n    exportReport(input: { campaignId: $campaignId, reportType: KPIS }) { id status estimatedSeconds }\n  }\n": typeof types.ExportKpisDocument,
    "\n  subscription FollowExport($id: ID!) {\n    exportJobUpdated(id: $id) { status progressPct downloadUrl error }\n  }\n": typeof types.FollowExportDocument,
    "\n  subscription CampaignDials($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n": typeof types.CampaignDialsDocument,
};
const documents: Documents = {
    "\n  query CampaignHeadline($id: ID!) {\n    campaign(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n": types.CampaignHeadlineDocument,
    "\n  subscription CampaignKpis($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n": types.CampaignKpisDocument,
    "\n  subscription CampaignLive($id: ID!) {\n    campaignUpdated(id: $id) {\n      name\n      dataUpdatedAt\n      kpis { dialed answered answerRatePct }\n    }\n  }\n": types.CampaignLiveDocument,
    "\n  mutation ExportKpis($campaignId: ID!) {\n    exportReport(input: { campaignId: $campaignId, reportType: KPIS }) { id status estimatedSeconds }\n  }\n": types.ExportKpisDocument,
    "\n  subscription FollowExport($id: ID!) {\n    exportJobUpdated(id: $id) { status progressPct downloadUrl error }\n  }\n": types.FollowExportDocument,
    "\n  subscription CampaignDials($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n": types.CampaignDialsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignHeadline($id: ID!) {\n    campaign(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n"): (typeof documents)["\n  query CampaignHeadline($id: ID!) {\n    campaign(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CampaignKpis($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n"): (typeof documents)["\n  subscription CampaignKpis($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CampaignLive($id: ID!) {\n    campaignUpdated(id: $id) {\n      name\n      dataUpdatedAt\n      kpis { dialed answered answerRatePct }\n    }\n  }\n"): (typeof documents)["\n  subscription CampaignLive($id: ID!) {\n    campaignUpdated(id: $id) {\n      name\n      dataUpdatedAt\n      kpis { dialed answered answerRatePct }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExportKpis($campaignId: ID!) {\n    exportReport(input: { campaignId: $campaignId, reportType: KPIS }) { id status estimatedSeconds }\n  }\n"): (typeof documents)["\n  mutation ExportKpis($campaignId: ID!) {\n    exportReport(input: { campaignId: $campaignId, reportType: KPIS }) { id status estimatedSeconds }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowExport($id: ID!) {\n    exportJobUpdated(id: $id) { status progressPct downloadUrl error }\n  }\n"): (typeof documents)["\n  subscription FollowExport($id: ID!) {\n    exportJobUpdated(id: $id) { status progressPct downloadUrl error }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CampaignDials($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n"): (typeof documents)["\n  subscription CampaignDials($id: ID!) {\n    campaignUpdated(id: $id) { id name kpis { dialed answered answerRatePct } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import { useExportDownloads } from '../exports/download.js';
import type { ExportWorker } from '../exports/worker.js';
import { schema } from '../schema/index.js';
import { authenticate } from './auth.js';
import { createContext, type Context } from './context.js';
import type { PubSub } from './pubsub.js';
import { useArgumentNamingValidation, useUserInputErrors } from './validation.js';

export interface YogaOptions {
  db: Database;
  jwtKey: Uint8Array;
  worker: ExportWorker;
  pubsub: PubSub;
  /** Base of download links; undefined: the origin each request came in on. */
  publicUrl?: string;
  /** Pre-filled Authorization header in GraphiQL (development only). */
  graphiqlToken?: string;
}

export type Yoga = YogaServerInstance<Record<string, unknown>, Context>;

export const GRAPHQL_PATH = '/graphql';

export function buildYoga({ db, jwtKey, worker, pubsub, publicUrl, graphiqlToken }: YogaOptions): Yoga {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    maskedErrors: true,
    graphiql: {
      title: 'AutoCall Reports',
      headers: graphiqlToken ? JSON.stringify({ Authorization: `Bearer ${graphiqlToken}` }) : undefined,
      defaultQuery: DEFAULT_QUERY,
    },
    context: async ({ request }) =>
      createContext({
        db,
        viewer: await authenticate(request.headers.get('authorization'), jwtKey),
        exports: { worker, pubsub, downloadKey: jwtKey, publicUrl: publicUrl ?? new URL(request.url).origin },
      }),
    plugins: [
      useExportDownloads(db, jwtKey),
      useArgumentNamingValidation(),
      useUserInputErrors(),
      useReadinessCheck({
        endpoint: '/healthz',
        check: async () => {
          await db.ping();
          return Response.json({ status: 'ok', database: db.kind });
        },
      }),
    ],
  });
}

const DEFAULT_QUERY = `# Your campaigns with their headline numbers. Press the play button (or Ctrl+Enter) to run;
# the Docs panel on the left lists every report (kpis, trend, hangup, heatmap, dtmf, funnel).
query Campaigns {
  campaigns(first: 10) {
    totalCount
    edges {
      node {
        id
        name
        startedAt
        kpis {
          dialed
          answered
          answerRatePct
          avgCallDurationSec
          transferSuccessRatePct
        }
        funnel { stage count dropRatePct }
      }
    }
  }
}
`;

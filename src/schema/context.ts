import { Loaders, type Metering } from '../data/loaders.js';
import { WorkMeter } from '../fair-share/cost-model.js';
import type { TenantQueue } from '../fair-share/tenant-queue.js';
import type { CpuTurns } from '../fair-share/cpu-turns.js';
import type { ReportSource } from '../data/report-queries.js';
import { createReportService } from '../data/report-service.js';
import type { Database } from '../db/client.js';
import type { ExportWorker } from '../exports/worker.js';
import type { Viewer } from '../auth/tokens.js';
import type { PubSub } from '../events/pubsub.js';
import { operationTrace, type OperationTrace } from '../tracing/graphql-spans.js';
import { tracedPrisma } from '../tracing/prisma-spans.js';

export interface ExportsContext {
  worker: ExportWorker;
  pubsub: PubSub;
  downloadKey: Uint8Array;
  /** Base of download links: PUBLIC_URL, or the origin the request came in on. */
  publicUrl: string;
}

export interface ContextInput {
  db: Database;
  viewer: Viewer;
  exports: ExportsContext;
  /** Tests compare the reports from the rollups with the same reports from the raw rows. */
  reportSource?: ReportSource;
  /** Where report statements take their turns between tenants. */
  queue?: TenantQueue;
  /** Where building large answers takes its turns between tenants. */
  turns?: CpuTurns;
  /** The Authorization the operation came with: its token's cost budget. */
  authorization?: string | null;
  /** Told each report statement's kind, windows and time (metrics). */
  observeStatement?: Metering['observe'];
  /** Told, after each campaignUpdated push, how long ago the oldest change it carries was committed (metrics). */
  observePush?: (seconds: number) => void;
  /** Where the operation's spans hang (its HTTP request's span, when tracing samples it); default: nowhere. */
  tracing?: OperationTrace;
}

/** Loaders and reports over the data as it is now; one clock, so every default window ends alike. */
function readings(db: Database, tenantId: string, source: ReportSource, metering: Metering & { turns?: CpuTurns }) {
  const loaders = new Loaders(db, tenantId, source, metering);
  const turns = metering.turns;
  return { loaders, reports: createReportService(loaders, new Date(), turns && (() => turns.turn(tenantId))) };
}

/** Built once per operation; per-request loaders belong here so they never outlive a request. */
export function createContext({ db, viewer, exports, reportSource = 'rollups', queue, turns, authorization, observeStatement, observePush, tracing = operationTrace(undefined) }: ContextInput) {
  /** The work of the operation's report statements, in cost points (see fair-share/cost-model.ts). */
  const work = new WorkMeter();
  const trace = () => tracing.context;
  return {
    prisma: tracedPrisma(db.prisma, tracing),
    viewer,
    exports,
    work,
    tracing,
    authorization: authorization ?? undefined,
    observePush,
    ...readings(db, viewer.tenantId, reportSource, { queue, turns, work, observe: observeStatement, trace }),
    /**
     * A subscription answers each push from the data as it is then: fresh loaders, a new clock.
     * Call it on the operation's context: yoga hands the resolvers a copy of this object.
     */
    readAgain(this: { loaders: unknown; reports: unknown }) {
      Object.assign(this, readings(db, viewer.tenantId, reportSource, { queue, turns, work, observe: observeStatement, trace }));
    },
  };
}

export type Context = ReturnType<typeof createContext>;

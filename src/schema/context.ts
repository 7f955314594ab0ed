import { Loaders } from '../data/loaders.js';
import type { ReportSource } from '../data/report-queries.js';
import { createReportService } from '../data/report-service.js';
import type { Database } from '../db/client.js';
import type { ExportWorker } from '../exports/worker.js';
import type { Viewer } from '../auth/tokens.js';
import type { PubSub } from '../events/pubsub.js';

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
}

/** Loaders and reports over the data as it is now; one clock, so every default window ends alike. */
function readings(db: Database, tenantId: string, source: ReportSource) {
  const loaders = new Loaders(db.prisma, tenantId, source);
  return { loaders, reports: createReportService(loaders, new Date()) };
}

/** Built once per operation; per-request loaders belong here so they never outlive a request. */
export function createContext({ db, viewer, exports, reportSource = 'rollups' }: ContextInput) {
  return {
    prisma: db.prisma,
    viewer,
    exports,
    ...readings(db, viewer.tenantId, reportSource),
    /**
     * A subscription answers each push from the data as it is then: fresh loaders, a new clock.
     * Call it on the operation's context: yoga hands the resolvers a copy of this object.
     */
    readAgain(this: { loaders: unknown; reports: unknown }) {
      Object.assign(this, readings(db, viewer.tenantId, reportSource));
    },
  };
}

export type Context = ReturnType<typeof createContext>;

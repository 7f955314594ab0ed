import { createLoaders } from '../data/loaders.js';
import { createReportService } from '../data/report-service.js';
import type { Database } from '../db/client.js';
import type { ExportWorker } from '../exports/worker.js';
import type { Viewer } from './auth.js';
import type { PubSub } from './pubsub.js';

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
}

/** Built once per operation; per-request loaders belong here so they never outlive a request. */
export function createContext({ db, viewer, exports }: ContextInput) {
  const loaders = createLoaders(db.prisma, viewer.tenantId);
  // One clock per operation, so every field's default window ends at the same instant.
  const now = new Date();
  return {
    prisma: db.prisma,
    viewer,
    loaders,
    reports: createReportService(loaders, now),
    exports,
  };
}

export type Context = ReturnType<typeof createContext>;

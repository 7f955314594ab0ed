import { createLoaders } from '../data/loaders.js';
import { createReportService } from '../data/report-service.js';
import type { Database } from '../db/client.js';
import type { Viewer } from './auth.js';

export interface ContextInput {
  db: Database;
  viewer: Viewer;
}

/** Built once per operation; per-request loaders belong here so they never outlive a request. */
export function createContext({ db, viewer }: ContextInput) {
  const loaders = createLoaders(db.prisma, viewer.tenantId);
  // One clock per operation, so every field's default window ends at the same instant.
  const now = new Date();
  return {
    prisma: db.prisma,
    viewer,
    loaders,
    reports: createReportService(loaders, now),
  };
}

export type Context = ReturnType<typeof createContext>;

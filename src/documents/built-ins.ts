import { DASHBOARD_DOCUMENTS } from '../dashboard/documents.js';
import { REST_ROUTES } from '../rest/routes.js';
import { documentHash } from './document-ids.js';
import type { ManifestEntry } from './manifests.js';

/** The gateway's own documents, trusted in every mode: the REST routes' saved operations and the dashboard's. */
export const BUILT_IN_DOCUMENTS: readonly ManifestEntry[] = [...REST_ROUTES.map((route) => route.document), ...Object.values(DASHBOARD_DOCUMENTS)].map((body) => ({
  hash: documentHash(body),
  body,
}));

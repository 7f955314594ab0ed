import { EXPORT_ROUTES } from './export-routes.js';
import { REPORT_ROUTES } from './report-routes.js';
import type { Route } from './route.js';

/** Every path of the REST document (reports-rest-api.vi.txt), in its order. */
export const REST_ROUTES: readonly Route[] = [...REPORT_ROUTES, ...EXPORT_ROUTES];

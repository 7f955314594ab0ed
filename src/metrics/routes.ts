import { pathPattern } from '../rest/route.js';
import { REST_ROUTES } from '../rest/routes.js';
import { DOCS_PATH, OPENAPI_PATH } from '../rest/docs.js';

/** Paths answered as they are; everything else that matches none is "other". */
const FIXED = new Set(['/graphql', '/ingest', '/healthz', '/readyz', '/metrics', '/', DOCS_PATH, OPENAPI_PATH]);
const TEMPLATES = [...new Set(REST_ROUTES.map((route) => route.path)), '/exports/{id}/download'].map((template) => ({ template, pattern: pathPattern(template) }));

/**
 * The route template a path is answered by, as a metric's label: REST paths by their OpenAPI
 * template (`/api/autocall/campaigns/{id}/reports/kpis`), never the path itself, so a label has a
 * handful of values whatever the requests.
 */
export function routeTemplate(pathname: string): string {
  if (FIXED.has(pathname)) return pathname;
  if (pathname.startsWith('/dashboard/')) return '/dashboard/*';
  return TEMPLATES.find(({ pattern }) => pattern.test(pathname))?.template ?? 'other';
}

import { createGraphQLError, type CORSOptions, type Plugin } from 'graphql-yoga';
import type { CorsPolicy } from '../config.js';

const LOCALHOST = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Yoga's CORS option: an allowed origin is echoed back (credentials allowed), any other gets no CORS
 * headers, so the browser keeps the answer from the page that asked.
 */
export function corsFor(policy: CorsPolicy) {
  const allowed = (origin: string) => {
    if (policy.origins.includes(origin)) return true;
    if (!policy.localhost) return false;
    if (!URL.canParse(origin)) return false;
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOCALHOST.has(url.hostname);
  };
  return (request: Request): CORSOptions | false => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed(origin)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Accept'],
      maxAge: 600,
    };
  };
}

/** Bodies an HTML form can send without a CORS preflight. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Refuses GraphQL POSTs that a page on any site could send through a plain HTML form (CSRF). Yoga's
 * CSRF plugin does this too, but it also demands a custom header on every GET, which plain GET
 * queries from curl or a browser's address bar would then lack.
 */
export function useFormPostRefusal(): Plugin {
  return {
    onRequestParse({ request }) {
      const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (request.method === 'POST' && FORM_CONTENT_TYPES.includes(type)) {
        throw createGraphQLError(`Content-Type ${type} is not accepted: send GraphQL as application/json`, {
          extensions: { code: 'UNSUPPORTED_CONTENT_TYPE', http: { status: 415 } },
        });
      }
    },
  };
}

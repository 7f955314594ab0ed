import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { fileCache, packageDir } from '../http/package-files.js';
import { documentIdsModule } from './documents.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

interface Asset {
  file: () => string;
  type: string;
  /** Our own files may change with every release; the libraries' builds only with their version. */
  cache: string;
}

const own = (name: string, type: string): Asset => ({ file: () => path.join(PUBLIC_DIR, name), type, cache: 'no-cache' });
const vendor = (name: string, file: string): Asset => ({
  file: () => path.join(packageDir(name), file),
  type: 'text/javascript; charset=utf-8',
  cache: 'public, max-age=86400',
});

/**
 * Every file the dashboard loads, by URL path: its own modules and the browser builds of the npm
 * packages it uses, so the page works with no internet. Nothing else is served from disk (its
 * documents' ids, /dashboard/documents.js, are made from documents.ts).
 */
const ASSETS: Record<string, Asset> = {
  '/dashboard/app.js': own('app.js', 'text/javascript; charset=utf-8'),
  '/dashboard/api.js': own('api.js', 'text/javascript; charset=utf-8'),
  '/dashboard/window.js': own('window.js', 'text/javascript; charset=utf-8'),
  '/dashboard/render.js': own('render.js', 'text/javascript; charset=utf-8'),
  '/dashboard/style.css': own('style.css', 'text/css; charset=utf-8'),
  '/dashboard/vendor/chart.js': vendor('chart.js', 'dist/chart.umd.min.js'),
  '/dashboard/vendor/graphql-ws.js': vendor('graphql-ws', 'umd/graphql-ws.min.js'),
  '/dashboard/vendor/luxon.js': vendor('luxon', 'build/global/luxon.min.js'),
};

/** Only what the page itself needs: same-origin scripts, styles, requests and WebSockets. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The reference dashboard at / (GraphiQL stays at /graphql): one campaign's reports, live through
 * campaignUpdated. With a development token (embedded mode) the page carries it, as GraphiQL does;
 * otherwise the page asks for one.
 */
export function useDashboard({ developmentToken }: { developmentToken?: string }): Plugin {
  const read = fileCache();
  const documentIds = documentIdsModule();
  return {
    async onRequest({ url, request, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/') {
        const page = (await read(path.join(PUBLIC_DIR, 'index.html'))).replace(
          '<!-- development token -->',
          developmentToken ? `<meta name="autocall-development-token" content="${escapeAttribute(developmentToken)}">` : '',
        );
        endResponse(
          new Response(page, {
            headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CONTENT_SECURITY_POLICY },
          }),
        );
        return;
      }
      if (url.pathname === '/dashboard/documents.js') {
        endResponse(new Response(documentIds, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } }));
        return;
      }
      const asset = ASSETS[url.pathname];
      if (!asset) return;
      endResponse(new Response(await read(asset.file()), { headers: { 'content-type': asset.type, 'cache-control': asset.cache } }));
    },
  };
}

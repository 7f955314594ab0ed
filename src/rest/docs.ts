import path from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { fileCache, packageDir } from '../http/package-files.js';
import { openApiDocument } from './openapi.js';
import type { Route } from './route.js';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

/** Swagger UI's browser build, from the installed swagger-ui-dist: the page works with no internet. */
const SWAGGER_FILES: Record<string, { file: string; type: string }> = {
  [`${DOCS_PATH}/swagger-ui-bundle.js`]: { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  [`${DOCS_PATH}/swagger-ui.css`]: { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
};

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);

const page = (developmentToken: string | undefined) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AutoCall Reports REST API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${developmentToken ? `<meta name="autocall-development-token" content="${escapeAttribute(developmentToken)}">` : ''}
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to a public validator.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: true,
  onComplete: function () {
    var token = document.querySelector('meta[name="autocall-development-token"]');
    if (token) window.ui.preauthorizeApiKey('bearer', token.content);
  },
});
`;

/** Same-origin files only; Swagger UI sets inline styles on its elements. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * GET /api/openapi.json: the OpenAPI 3.1 document of the REST routes; GET /api/docs: Swagger UI
 * over it, with the development token already entered in embedded mode.
 */
export function useRestDocs(routes: readonly Route[], { developmentToken }: { developmentToken?: string }): Plugin {
  let document: string | undefined;
  const read = fileCache();
  return {
    async onRequest({ url, request, endResponse }) {
      if (request.method !== 'GET' || !url.pathname.startsWith('/api/')) return;
      if (url.pathname === OPENAPI_PATH) {
        document ??= JSON.stringify(openApiDocument(routes), null, 2);
        endResponse(new Response(document, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' } }));
      } else if (url.pathname === DOCS_PATH) {
        endResponse(
          new Response(page(developmentToken), {
            headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CONTENT_SECURITY_POLICY },
          }),
        );
      } else if (url.pathname === `${DOCS_PATH}/init.js`) {
        endResponse(new Response(INIT_SCRIPT, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } }));
      } else {
        const asset = SWAGGER_FILES[url.pathname];
        if (!asset) return;
        const text = await read(path.join(packageDir('swagger-ui-dist'), asset.file));
        endResponse(new Response(text, { headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' } }));
      }
    },
  };
}

import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import type { Route } from './route.js';

const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, RATE_LIMITED, …', example: 'BAD_USER_INPUT' }),
      message: z.string().meta({ example: 'Parameter "from" got invalid value "yesterday"; DateTime cannot represent "yesterday"' }),
      parameter: z.string().optional().meta({ description: 'The parameter at fault, when one is.', example: 'from' }),
    }),
  })
  .meta({ id: 'Error', description: 'What went wrong.' });

const errorResponse = (description: string, headers?: Record<string, { description: string; schema: { type: 'integer' } }>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: errorBody } },
});

const ERRORS: ZodOpenApiResponsesObject = {
  '400': errorResponse('A parameter is malformed or out of range; `parameter` names it.'),
  '401': errorResponse('No bearer token, or one that is expired or badly signed.'),
  '403': errorResponse('The token lacks the permission the path needs.'),
  '404': errorResponse("The campaign (or export job) does not exist or is another tenant's."),
  '429': errorResponse('Over the rate limit of the token or its tenant.', {
    'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
  }),
};

const etagHeader = { ETag: { description: 'A weak tag of the data; send it back as If-None-Match.', schema: { type: 'string' as const } } };

function operation(route: Route): ZodOpenApiOperationObject {
  const success = {
    description: route.status === 202 ? 'Accepted: the job is queued.' : 'The report.',
    ...(route.method === 'GET' ? { headers: etagHeader } : {}),
    content: { 'application/json': { schema: z.object({ data: route.data }) } },
  };
  const permission = route.exportPermission ? 'autocall_api_access and autocall_export_report' : 'autocall_api_access';
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description}\n\nNeeds ${permission}. Runs the GraphQL field \`${route.graphqlField}\`.`,
    tags: [route.path.includes('/export') ? 'Exports' : 'Reports'],
    requestParams: { path: route.params.path as z.ZodObject, query: route.params.query as z.ZodObject },
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    responses: {
      [route.status]: success,
      ...(route.method === 'GET' ? { '304': { description: 'Not modified: If-None-Match named the current ETag.', headers: etagHeader } } : {}),
      ...ERRORS,
      ...(route.body
        ? { '413': errorResponse('The body is larger than 16 KiB.'), '415': errorResponse('The body is not sent as application/json.') }
        : {}),
    },
  };
}

/** The OpenAPI 3.1 document of the routes, generated from their own schemas. */
export function openApiDocument(routes: readonly Route[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'AutoCall Reports REST API',
      version: '1.0.0',
      description:
        'The REST paths of the AutoCall reports, served by the GraphQL gateway: each runs a saved GraphQL operation (see /graphql for the full schema). Percentages are strings with two decimals; report answers carry an ETag.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    tags: [
      { name: 'Reports', description: 'Campaign reports.' },
      { name: 'Exports', description: 'Asynchronous Excel/CSV exports.' },
    ],
    paths,
  });
}

import type { z } from 'zod';
import { badParameter, RestError } from './errors.js';
import type { Route, RouteInput } from './route.js';

/** Export requests are a few short fields; anything much larger is not one. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The route's path parameters, query string and JSON body, parsed by its schemas. */
export async function readInput(route: Route, pathValues: Record<string, string>, url: URL, request: Request): Promise<RouteInput<unknown, unknown, unknown>> {
  // An empty value (from=) means the parameter was left out, as HTML forms and many clients send it.
  const query = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
  return {
    path: parse(route.params.path, pathValues),
    query: parse(route.params.query, query),
    body: route.body ? parse(route.body, await readJsonBody(request)) : undefined,
  };
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const parameter = issue.path.map(String).join('.');
  if (!parameter) throw new RestError(400, 'BAD_USER_INPUT', 'The request body must be a JSON object');
  const missing = (value as Record<string, unknown>)[parameter] === undefined;
  throw badParameter(parameter, missing && !issue.message.startsWith('is required') ? 'is required' : issue.message);
}

async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new RestError(415, 'UNSUPPORTED_CONTENT_TYPE', `The request body must be JSON, sent as Content-Type: application/json${type ? `, not ${type}` : ''}`);
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readLimited(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new RestError(400, 'BAD_USER_INPUT', 'The request body is not valid JSON');
  }
}

const tooLarge = () => new RestError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`);

/** The body as text, refused as soon as it grows past the limit (a chunked body declares no length). */
async function readLimited(request: Request): Promise<string> {
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

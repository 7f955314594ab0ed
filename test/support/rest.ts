import { pathPattern } from '../../src/rest/route.js';
import { REST_ROUTES } from '../../src/rest/routes.js';

export interface RestAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The route's OpenAPI template, e.g. /api/autocall/campaigns/{id}/reports/kpis; undefined for no route. */
  template: string | undefined;
  method: string;
}

export interface RestRequest {
  method?: string;
  /** `null` sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

const templateOf = (path: string) => REST_ROUTES.find((route) => pathPattern(route.path).test(path))?.path;

/**
 * A REST client over the gateway's own HTTP port, as a CRM would call it. Every answer is kept in
 * `answers`, so a test can check each of them against the OpenAPI document afterwards.
 */
export function restClient(baseUrl: string, defaultToken: string) {
  const answers: RestAnswer[] = [];
  async function rest<T = any>(pathAndQuery: string, { method = 'GET', token = defaultToken, headers = {}, body }: RestRequest = {}): Promise<RestAnswer<T>> {
    const response = await fetch(`${baseUrl}${pathAndQuery}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const answer: RestAnswer<T> = {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      template: templateOf(new URL(pathAndQuery, baseUrl).pathname),
      method,
    };
    answers.push(answer);
    return answer;
  }
  return { rest, answers };
}

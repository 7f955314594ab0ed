import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Viewer } from '../auth/tokens.js';
import { apiError } from '../errors.js';
import { DEFAULT_REDIS_NAMESPACE, type RateLimitOptions } from '../config.js';
import { REDIS_FAIL_FAST } from '../events/pubsub.js';
import { errorField, logger } from '../logging/logger.js';

export interface RateLimits {
  /** Counts one request; resolves to the seconds to wait when a budget is spent, else null. */
  take(viewer: Viewer, authorization: string | null | undefined): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * Per-token and per-tenant budgets (rate-limiter-flexible: fixed windows, counted in Redis when
 * configured so every instance shares them, else in this process). A token is counted by its hash,
 * never stored. When Redis does not answer, requests pass: a limit is not worth an outage.
 */
export function createRateLimits({ perToken, perTenant, windowSeconds = 60 }: RateLimitOptions, redisUrl?: string, namespace = DEFAULT_REDIS_NAMESPACE): RateLimits {
  const redis = redisUrl && (perToken > 0 || perTenant > 0) ? new Redis(redisUrl, REDIS_FAIL_FAST) : undefined;
  redis?.on('error', () => {}); // it reconnects by itself; /healthz reports Redis
  const limiter = (points: number, kind: string): RateLimiterAbstract | undefined => {
    if (points <= 0) return undefined;
    const options = { points, duration: windowSeconds, keyPrefix: `${namespace}:rate:${kind}` };
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis }) : new RateLimiterMemory(options);
  };
  const budgets = [
    { limiter: limiter(perToken, 'token'), key: (_viewer: Viewer, token: string) => createHash('sha256').update(token).digest('hex') },
    { limiter: limiter(perTenant, 'tenant'), key: (viewer: Viewer) => viewer.tenantId },
  ].filter((budget) => budget.limiter !== undefined);

  let storeFailureLoggedAt = 0;
  return {
    async take(viewer, authorization) {
      const token = authorization ?? '';
      const waits = await Promise.all(
        budgets.map(({ limiter, key }) =>
          limiter!.consume(key(viewer, token)).then(
            () => 0,
            (refusal: unknown) => {
              if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
              // Said once a minute at most, not once a request.
              if (Date.now() - storeFailureLoggedAt > 60_000) {
                storeFailureLoggedAt = Date.now();
                logger.error({ error: errorField(refusal) }, 'rate limit store unavailable; letting requests through');
              }
              return 0;
            },
          ),
        ),
      );
      const wait = Math.max(0, ...waits);
      return wait > 0 ? wait : null;
    },
    close: async () => void redis?.disconnect(),
  };
}

/** The error a caller over budget gets: RATE_LIMITED with the seconds to wait; over HTTP a 429 with Retry-After. */
export function rateLimited(seconds: number) {
  return apiError('RATE_LIMITED', `Rate limit reached for this token or tenant; retry in ${seconds} s`, {
    retryAfterSeconds: seconds,
    http: { status: 429, headers: { 'retry-after': String(seconds) } },
  });
}

/** Counts every GraphQL request over HTTP (an SSE subscription once, when it starts) against the budgets. */
export function useRateLimits(limits: RateLimits, viewerOf: (request: Request) => Promise<Viewer>): Plugin {
  return {
    async onParams({ request }) {
      const wait = await limits.take(await viewerOf(request), request.headers.get('authorization'));
      if (wait !== null) throw rateLimited(wait);
    },
  };
}

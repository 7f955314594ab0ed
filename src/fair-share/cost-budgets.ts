import { createHash } from 'node:crypto';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Viewer } from '../auth/tokens.js';
import { apiError } from '../errors.js';
import type { CostBudgetConfig } from '../config.js';
import { REDIS_FAIL_FAST } from '../events/pubsub.js';
import { estimateCost, type WorkMeter } from './cost-model.js';
import { memoryBuckets, redisBuckets, type BucketShape, type BucketStore, type ThrottleStatus } from './leaky-bucket.js';
import { errorField, logger } from '../logging/logger.js';

/** What an answer says of its cost, in Shopify's shape; throttleStatus is the tightest bucket's. */
export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface CostBudgets {
  /** Takes an operation's estimated points from its token's and tenant's buckets; a refusal is RATE_LIMITED. */
  charge(viewer: Viewer, authorization: string | null | undefined, requested: number): Promise<Spend>;
  /**
   * Refuses at once, before the document is even parsed, while a bucket this process saw refuse
   * has not refilled by the time it named: a client that ignores Retry-After costs next to nothing.
   */
  checkRefusing(viewer: Viewer, authorization: string | null | undefined): void;
  close(): Promise<void>;
}

/** Points taken for one operation, to be corrected once its actual cost is known. */
export interface Spend {
  /** Corrects the charge to the actual points and returns the answer's cost extension. */
  settle(actual: number | null): Promise<CostExtension>;
}

const enabled = (shape: BucketShape) => shape.restoreRate > 0 && shape.maximumAvailable > 0;

/** The bucket with the fewest points left names the answer's throttleStatus. */
const tightest = (statuses: ThrottleStatus[]) => statuses.reduce((a, b) => (b.currentlyAvailable < a.currentlyAvailable ? b : a));

/**
 * Budgets of cost points per token (by its hash, never stored) and per tenant, kept in Redis when
 * configured so that a fleet drains one bucket, else in this process. When Redis does not answer,
 * this process's buckets stand in: a throttle should not fail open, nor cause an outage.
 */
export function createCostBudgets(options: CostBudgetConfig, redisUrl?: string, namespace = 'autocall'): CostBudgets | undefined {
  const budgets = [
    { shape: options.token, key: (_viewer: Viewer, token: string) => `token:${createHash('sha256').update(token).digest('hex')}` },
    { shape: options.tenant, key: (viewer: Viewer) => `tenant:${viewer.tenantId}` },
  ].filter((budget) => enabled(budget.shape));
  if (budgets.length === 0) return undefined;
  const redis = redisUrl ? new Redis(redisUrl, REDIS_FAIL_FAST) : undefined;
  redis?.on('error', () => {}); // it reconnects by itself; /healthz reports Redis
  const local = memoryBuckets();
  const shared = redis ? redisBuckets(redis, `${namespace}:cost`) : local;
  let storeFailureLoggedAt = 0;
  /** The shared store, or this process's buckets while it fails. */
  const store: BucketStore = {
    take: (key, shape, points) => shared.take(key, shape, points).catch((error: unknown) => fallBack(error, () => local.take(key, shape, points))),
    adjust: (key, shape, points) => shared.adjust(key, shape, points).catch((error: unknown) => fallBack(error, () => local.adjust(key, shape, points))),
  };
  function fallBack<T>(error: unknown, run: () => Promise<T>) {
    if (Date.now() - storeFailureLoggedAt > 60_000) {
      storeFailureLoggedAt = Date.now();
      logger.error({ error: errorField(error) }, 'cost budget store unavailable; counting in this process meanwhile');
    }
    return run();
  }

  /** Buckets that refused lately: until when, and the refusal's cost extension. */
  const refusing = new Map<string, { until: number; cost: CostExtension }>();
  const remember = (key: string, seconds: number, cost: CostExtension) => {
    if (refusing.size >= 10_000) refusing.clear();
    refusing.set(key, { until: Date.now() + seconds * 1000, cost });
  };

  return {
    checkRefusing(viewer, authorization) {
      for (const budget of budgets) {
        const key = budget.key(viewer, authorization ?? '');
        const refusal = refusing.get(key);
        if (!refusal) continue;
        const seconds = Math.ceil((refusal.until - Date.now()) / 1000);
        if (seconds <= 0) refusing.delete(key);
        else throw costLimited(seconds, refusal.cost);
      }
    },
    async charge(viewer, authorization, requested) {
      const keys = budgets.map((budget) => ({ shape: budget.shape, key: budget.key(viewer, authorization ?? '') }));
      const taken: typeof keys = [];
      const statuses: ThrottleStatus[] = [];
      for (const bucket of keys) {
        if (requested > bucket.shape.maximumAvailable) {
          await Promise.all(taken.map(({ key, shape }) => store.adjust(key, shape, -requested)));
          throw apiError('QUERY_TOO_COMPLEX', `Query refused: its estimated cost is ${requested} points, more than a budget of ${bucket.shape.maximumAvailable} can ever hold`, {
            limit: 'costBudget',
            maximum: bucket.shape.maximumAvailable,
            found: requested,
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: { ...bucket.shape, currentlyAvailable: bucket.shape.maximumAvailable } },
          });
        }
        const { status, waitSeconds } = await store.take(bucket.key, bucket.shape, requested);
        if (waitSeconds > 0) {
          // Points taken from the buckets before this one go back: the operation does not run.
          const back = await Promise.all(taken.map(({ key, shape }) => store.adjust(key, shape, -requested)));
          const cost = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: tightest([status, ...back]) };
          // Until the bucket holds the points of its own refill alone, others' points aside.
          remember(bucket.key, waitSeconds, cost);
          throw costLimited(waitSeconds, cost);
        }
        taken.push(bucket);
        statuses.push(status);
      }
      return {
        async settle(actual) {
          const corrected =
            actual === null || actual === requested ? statuses : await Promise.all(taken.map(({ key, shape }) => store.adjust(key, shape, actual - requested)));
          return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: tightest(corrected) };
        },
      };
    },
    close: async () => void redis?.disconnect(),
  };
}

/** RATE_LIMITED for a bucket too empty: with the seconds until it holds the points, and the cost. */
export function costLimited(seconds: number, cost: CostExtension) {
  return apiError('RATE_LIMITED', `Cost budget spent: this query needs ${cost.requestedQueryCost} points, ${Math.max(0, cost.throttleStatus.currentlyAvailable)} are available; retry in ${seconds} s`, {
    retryAfterSeconds: seconds,
    cost,
    http: { status: 429, headers: { 'retry-after': String(seconds), ...costHeaders(cost) } },
  });
}

/** The cost as response headers, for REST answers and any HTTP client that reads headers only. */
export function costHeaders(cost: CostExtension): Record<string, string> {
  return {
    'x-cost-requested': String(cost.requestedQueryCost),
    ...(cost.actualQueryCost === null ? {} : { 'x-cost-actual': String(cost.actualQueryCost) }),
    'x-cost-maximum-available': String(cost.throttleStatus.maximumAvailable),
    'x-cost-currently-available': String(cost.throttleStatus.currentlyAvailable),
    'x-cost-restore-rate': String(cost.throttleStatus.restoreRate),
  };
}

interface MeteredContext {
  request?: Request;
  viewer: Viewer;
  work: WorkMeter;
  authorization?: string;
}

/**
 * Charges every query and mutation its estimated cost before it runs (before any database work),
 * corrects the charge by the work its report statements did, and puts `extensions.cost` on the
 * answer and X-Cost-* headers on the HTTP response. A subscription is charged its estimate once,
 * when it starts, like its first answer.
 */
export function useCostBudgets(budgets: CostBudgets, viewerOf: (request: Request) => Promise<Viewer>): Plugin {
  const costs = new WeakMap<Request, CostExtension>();
  /** Charges the estimate; undefined (and the refusal set as the result) when the budget refuses. */
  const admit = async (args: ExecutionArgs, refuse: (result: ExecutionResult) => void) => {
    const context = args.contextValue as MeteredContext;
    const requested = estimateCost(args.schema, args.document, args.variableValues ?? undefined, args.operationName);
    try {
      return await budgets.charge(context.viewer, context.authorization, requested);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      if (context.request) costs.set(context.request, error.extensions.cost as CostExtension);
      refuse({ errors: [error], extensions: { cost: error.extensions.cost } });
      return undefined;
    }
  };
  return {
    async onParams({ request }) {
      budgets.checkRefusing(await viewerOf(request), request.headers.get('authorization'));
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const spend = await admit(args, setResultAndStopExecution);
      if (!spend) return;
      const context = args.contextValue as unknown as MeteredContext;
      return {
        async onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const cost = await spend.settle(context.work.points);
          if (context.request) costs.set(context.request, cost);
          setResult({ ...result, extensions: { ...result.extensions, cost } });
        },
      };
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      // Charged its estimate once, when it starts; its pushes are answered from shared computations.
      await admit(args, setResultAndStopExecution);
    },
    onResultProcess({ request, result, setResult }) {
      // An answer the response cache served before execution was charged nothing; the cost it was
      // stored with is another request's, so it says so instead.
      if (costs.has(request) || Array.isArray(result) || isAsyncIterable(result)) return;
      const extensions = (result as ExecutionResult).extensions;
      if (extensions?.cost) setResult({ ...(result as ExecutionResult), extensions: { ...extensions, cost: { requestedQueryCost: 0, actualQueryCost: 0 } } });
    },
    onResponse({ request, response }) {
      const cost = costs.get(request);
      if (!cost) return;
      for (const [name, value] of Object.entries(costHeaders(cost))) response.headers.set(name, value);
    },
  };
}

import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { DEFAULT_REDIS_NAMESPACE } from '../config.js';

/**
 * Every topic the gateway publishes, scoped by id; publish only after the write has committed.
 * Events say what changed, not how: subscribers read the current state from the database, so a
 * payload never crosses Redis as stale JSON.
 */
export type Topics = {
  exportJob: [jobId: string, change: { id: string }];
  /** Data of the campaign changed: an ingest or import batch touching it committed, at `committedAt` (ms since the epoch). */
  campaign: [campaignId: string, change: { id: string; committedAt: number }];
};

/**
 * For Redis clients a request waits on (the response cache, the rate limits): a command fails
 * rather than queue while Redis is away or wait longer than this, and the caller carries on without it.
 */
export const REDIS_FAIL_FAST = { enableOfflineQueue: false, commandTimeout: 250 } as const;

/**
 * In process, or through Redis so that every gateway instance hears every event. Channels are named
 * `<namespace>:<topic>:<id>`: deployments (or test databases) sharing one Redis keep apart.
 */
export function createTopics(redisUrl?: string, namespace = DEFAULT_REDIS_NAMESPACE) {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  const publishClient = new Redis(redisUrl);
  const subscribeClient = new Redis(redisUrl);
  return {
    pubsub: createPubSub<Topics>({ eventTarget: namespaced(createRedisEventTarget({ publishClient, subscribeClient }), namespace) }),
    redis: {
      ping: async () => void (await publishClient.ping()),
      /** Called whenever the connection to Redis is established again after it was lost. */
      onReconnected: (listener: () => void) => void publishClient.once('ready', () => publishClient.on('ready', listener)),
    },
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

export type PubSub = ReturnType<typeof createTopics>['pubsub'];

type EventTarget = ReturnType<typeof createRedisEventTarget>;

/** The same event target with every event type (the Redis channel) prefixed. */
function namespaced(target: EventTarget, namespace: string): EventTarget {
  const prefixed = (type: string) => `${namespace}:${type}`;
  return {
    addEventListener: (type, listener, options) => target.addEventListener(prefixed(type), listener, options),
    removeEventListener: (type, listener, options) => target.removeEventListener(prefixed(type), listener, options),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(prefixed(event.type), { detail: (event as CustomEvent).detail })),
  };
}

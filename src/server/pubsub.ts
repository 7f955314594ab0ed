import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

/**
 * Every topic the gateway publishes, scoped by id; publish only after the write has committed.
 * Events say what changed, not how: subscribers read the current state from the database, so a
 * payload never crosses Redis as stale JSON.
 */
export type Topics = {
  exportJob: [jobId: string, change: { id: string }];
  /** Data of the campaign changed: an ingest or import batch touching it committed. */
  campaign: [campaignId: string, change: { id: string }];
};

/** In process, or through Redis so that every gateway instance hears every event. */
export function createTopics(redisUrl?: string) {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  const publishClient = new Redis(redisUrl);
  const subscribeClient = new Redis(redisUrl);
  return {
    pubsub: createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }),
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

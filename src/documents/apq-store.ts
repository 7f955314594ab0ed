import { Redis } from 'ioredis';
import { REDIS_FAIL_FAST } from '../events/pubsub.js';

/** Texts registered by automatic persisted queries, by hash. */
export interface ApqStore {
  get(hash: string): Promise<string | undefined>;
  set(hash: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** Texts kept in memory without Redis; the oldest registration goes first. */
const IN_MEMORY_TEXTS = 10_000;

/** How long Redis keeps a registered text since its last registration; a client registers it again on a miss. */
const REDIS_TTL_SECONDS = 7 * 86_400;

/**
 * In Redis when REDIS_URL is set, so a text registered through one gateway is found through any;
 * otherwise in this process. Redis away: a lookup misses (the client then sends the text again) and
 * a registration is skipped, rather than the request waiting.
 */
export function createApqStore(redisUrl: string | undefined, namespace: string): ApqStore {
  if (redisUrl) {
    const redis = new Redis(redisUrl, { keyPrefix: `${namespace}:apq:`, ...REDIS_FAIL_FAST });
    redis.on('error', () => {}); // it reconnects by itself; /healthz reports Redis
    return {
      get: async (hash) => (await redis.get(hash).catch(() => null)) ?? undefined,
      set: async (hash, text) => void (await redis.set(hash, text, 'EX', REDIS_TTL_SECONDS).catch(() => undefined)),
      close: async () => redis.disconnect(),
    };
  }
  const texts = new Map<string, string>();
  return {
    get: async (hash) => texts.get(hash),
    set: async (hash, text) => {
      texts.delete(hash);
      texts.set(hash, text);
      if (texts.size > IN_MEMORY_TEXTS) texts.delete(texts.keys().next().value!);
    },
    close: async () => {},
  };
}

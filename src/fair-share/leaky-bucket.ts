import type { Redis } from 'ioredis';

/** A bucket's size and how fast it refills, in points. */
export interface BucketShape {
  maximumAvailable: number;
  restoreRate: number;
}

/** Shopify's throttleStatus: the bucket after a charge. */
export interface ThrottleStatus extends BucketShape {
  currentlyAvailable: number;
}

export interface Charge {
  /** The bucket after the charge (or, when refused, as it is). */
  status: ThrottleStatus;
  /** Seconds until the bucket holds the points asked for; 0 when they were taken. */
  waitSeconds: number;
}

/**
 * Leaky buckets of cost points, one per key: each refills at restoreRate points a second up to
 * maximumAvailable. `take` takes points only when the bucket holds them all; `adjust` corrects a
 * charge afterwards either way, and may leave the bucket in debt (down to minus its maximum), which
 * it then pays off before its next operation.
 */
export interface BucketStore {
  take(key: string, shape: BucketShape, points: number): Promise<Charge>;
  adjust(key: string, shape: BucketShape, points: number): Promise<ThrottleStatus>;
}

interface Level {
  available: number;
  at: number;
}

/** A level kept in this process, with the shape it fills to. */
interface HeldLevel extends Level {
  shape: BucketShape;
}

/** Refill, then apply. Pure: the memory store runs it, and the Redis script is the same lines in Lua. */
export function leak(level: Level | undefined, shape: BucketShape, now: number, points: number, mode: 'take' | 'adjust') {
  const before = level ? Math.min(shape.maximumAvailable, level.available + ((now - level.at) / 1000) * shape.restoreRate) : shape.maximumAvailable;
  if (mode === 'take' && points > before) {
    return { available: before, waitSeconds: Math.max(1, Math.ceil((points - before) / shape.restoreRate)) };
  }
  return { available: Math.max(-shape.maximumAvailable, Math.min(shape.maximumAvailable, before - points)), waitSeconds: 0 };
}

const statusOf = (shape: BucketShape, available: number): ThrottleStatus => ({ ...shape, currentlyAvailable: Math.floor(available) });

/** Buckets of this process: one instance, or a fleet without Redis. Idle buckets are full, so they are dropped. */
export function memoryBuckets(): BucketStore {
  const levels = new Map<string, HeldLevel>();
  let sweptAt = Date.now();
  const apply = (key: string, shape: BucketShape, points: number, mode: 'take' | 'adjust'): Charge => {
    const now = Date.now();
    if (now - sweptAt > 60_000) {
      sweptAt = now;
      for (const [held, level] of levels) if (leak(level, level.shape, now, 0, 'adjust').available >= level.shape.maximumAvailable) levels.delete(held);
    }
    const { available, waitSeconds } = leak(levels.get(key), shape, now, points, mode);
    levels.set(key, { available, at: now, shape });
    return { status: statusOf(shape, available), waitSeconds };
  };
  return {
    take: async (key, shape, points) => apply(key, shape, points, 'take'),
    adjust: async (key, shape, points) => apply(key, shape, points, 'adjust').status,
  };
}

// The same arithmetic as leak(), atomic in Redis with Redis's own clock, so every gateway of a
// fleet drains one bucket. A bucket's key expires once it would be full again.
const LEAK_SCRIPT = `
local maximum, rate, points, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local held = redis.call('HMGET', KEYS[1], 'available', 'at')
local before = maximum
if held[1] then before = math.min(maximum, tonumber(held[1]) + (now - tonumber(held[2])) / 1000 * rate) end
local wait = 0
local after = before
if mode == 'take' and points > before then
  wait = math.max(1, math.ceil((points - before) / rate))
else
  after = math.max(-maximum, math.min(maximum, before - points))
end
redis.call('HSET', KEYS[1], 'available', tostring(after), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((maximum - after) / rate * 1000) + 1000)
return { tostring(after), wait }
`;

type LeakingRedis = Redis & { leak(key: string, maximum: number, rate: number, points: number, mode: string): Promise<[string, number]> };

/** Buckets in Redis, shared by every instance that uses the same keys. */
export function redisBuckets(redis: Redis, prefix: string): BucketStore {
  if (!('leak' in redis)) redis.defineCommand('leak', { numberOfKeys: 1, lua: LEAK_SCRIPT });
  const run = async (key: string, shape: BucketShape, points: number, mode: 'take' | 'adjust'): Promise<Charge> => {
    const [available, wait] = await (redis as LeakingRedis).leak(`${prefix}:${key}`, shape.maximumAvailable, shape.restoreRate, points, mode);
    return { status: statusOf(shape, Number(available)), waitSeconds: Number(wait) };
  };
  return {
    take: (key, shape, points) => run(key, shape, points, 'take'),
    adjust: async (key, shape, points) => (await run(key, shape, points, 'adjust')).status,
  };
}

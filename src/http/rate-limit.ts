import { Redis } from 'ioredis';

/**
 * Sliding-window rate limit where each request counts for one full window after it was made
 * (the Ticketing API's rule): `reset` is when the oldest counted request expires.
 * @fastify/rate-limit counts fixed windows, hence this small limiter with two stores.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the oldest counted request stops counting. */
  reset: number;
}

export interface RateLimiter {
  hit(key: string, nowMs: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** In-process store: a queue of request times per key. Enough for one process. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  async hit(key: string, nowMs: number): Promise<RateLimitDecision> {
    let times = this.hits.get(key);
    if (!times) this.hits.set(key, (times = []));
    let drop = 0;
    while (drop < times.length && times[drop] <= nowMs - this.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    const allowed = times.length < this.max;
    if (allowed) times.push(nowMs);
    if (times.length === 0) this.hits.delete(key);
    return decision(this.max, this.windowMs, times, allowed, nowMs);
  }

  async close() {
    this.hits.clear();
  }
}

function decision(max: number, windowMs: number, times: number[], allowed: boolean, nowMs: number): RateLimitDecision {
  const oldest = times.length > 0 ? times[0] : nowMs;
  return { allowed, limit: max, remaining: Math.max(0, max - times.length), reset: Math.ceil((oldest + windowMs) / 1000) };
}

// One atomic step per request: drop expired entries, count, add this request if under the limit,
// and return the count and the oldest entry. Every process sharing the Redis sees one limit.
const SLIDING_WINDOW = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {allowed, count, oldest[2] or ARGV[1]}
`;

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private sequence = 0;
  constructor(
    url: string,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly prefix = 'guichet:ratelimit:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.redis.defineCommand('slidingWindowHit', { numberOfKeys: 1, lua: SLIDING_WINDOW });
  }

  async hit(key: string, nowMs: number): Promise<RateLimitDecision> {
    // Members must be unique even for two requests in the same millisecond.
    const member = `${nowMs}:${process.pid}:${this.sequence++}:${Math.random().toString(36).slice(2, 8)}`;
    const [allowed, count, oldest] = (await (this.redis as unknown as { slidingWindowHit: (...a: unknown[]) => Promise<[number, number, string]> }).slidingWindowHit(
      this.prefix + key,
      nowMs,
      this.windowMs,
      this.max,
      member,
    )) as [number, number, string];
    return {
      allowed: allowed === 1,
      limit: this.max,
      remaining: Math.max(0, this.max - count),
      reset: Math.ceil((Number(oldest) + this.windowMs) / 1000),
    };
  }

  async close() {
    this.redis.disconnect();
  }
}

import { Redis } from 'ioredis';
import type { Config } from '../../config.ts';
import { DomainError } from '../errors.ts';

/**
 * Brute-force defence of every credential check (passwords, client secrets, partner passwords,
 * admission codes): failures are counted per account (or client id, or partner login) and per client
 * address; past the limit the subject is locked, for a time that doubles with each further failure
 * (30 s, 1 min, 2 min … up to CREDENTIAL_MAX_LOCK_SECONDS). A locked subject is refused BEFORE any
 * hash is computed, and each address may have only a few checks running at once, so guessing costs
 * the server almost nothing (argon2 would otherwise make guessing a denial of service). A success
 * clears the account's count, never the address's. Counts live in-process, or in Redis (REDIS_URL)
 * so that every process sees one count.
 */
export interface ThrottleSubject {
  /** What is being guessed: an account identifier, a client id, a partner login (normalized here). */
  account?: string | null;
  /** The client's address, as the HTTP layer established it (TRUST_PROXY). */
  ip?: string | null;
}

interface Limits { maxFailures: number; maxFailuresPerIp: number; windowSeconds: number; maxLockSeconds: number }
const BASE_LOCK_SECONDS = 30;
/**
 * Credential checks one address may have running at once (argon2 costs ≈ 50–100 ms of CPU each).
 * 16, not fewer: a box office or a school behind one NAT signs several people in at once, and the
 * door's gates open their sessions together; past it the address is told to slow down (429).
 */
const CONCURRENT_PER_IP = 16;

interface ThrottleStore {
  /** Milliseconds until the latest lock among these keys ends (0: none). */
  lockedFor(keys: string[], nowMs: number): Promise<number>;
  fail(key: string, maxFailures: number, nowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

function lockSeconds(failures: number, maxFailures: number, limits: Limits) {
  if (failures < maxFailures) return 0;
  return Math.min(limits.maxLockSeconds, BASE_LOCK_SECONDS * 2 ** Math.min(30, failures - maxFailures));
}

class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, { failures: number; expiresMs: number; lockedUntilMs: number }>();
  constructor(private readonly limits: Limits) {}
  async lockedFor(keys: string[], nowMs: number) {
    let wait = 0;
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry && entry.expiresMs <= nowMs) this.entries.delete(key);
      else if (entry) wait = Math.max(wait, entry.lockedUntilMs - nowMs);
    }
    return wait;
  }
  async fail(key: string, maxFailures: number, nowMs: number) {
    let entry = this.entries.get(key);
    if (!entry || entry.expiresMs <= nowMs) entry = { failures: 0, expiresMs: 0, lockedUntilMs: 0 };
    entry.failures++;
    const lock = lockSeconds(entry.failures, maxFailures, this.limits) * 1000;
    if (lock > 0) entry.lockedUntilMs = nowMs + lock;
    entry.expiresMs = nowMs + this.limits.windowSeconds * 1000 + lock;
    this.entries.set(key, entry);
    // Bounded memory: a flood of distinct keys drops the expired ones first, then the oldest.
    if (this.entries.size > 100_000) {
      for (const [k, e] of this.entries) if (e.expiresMs <= nowMs) this.entries.delete(k);
      for (const k of this.entries.keys()) {
        if (this.entries.size <= 90_000) break;
        this.entries.delete(k);
      }
    }
  }
  async clear(key: string) {
    this.entries.delete(key);
  }
  async close() {
    this.entries.clear();
  }
}

// One atomic step per failure: count, lock past the limit (doubling), keep the count for the window.
const FAIL = `
local f = redis.call('HINCRBY', KEYS[1], 'f', 1)
local max = tonumber(ARGV[1])
local lock = 0
if f >= max then
  lock = math.min(tonumber(ARGV[3]), tonumber(ARGV[4]) * 2 ^ math.min(30, f - max))
  redis.call('HSET', KEYS[1], 'u', tonumber(ARGV[5]) + lock * 1000)
end
redis.call('PEXPIRE', KEYS[1], math.floor((tonumber(ARGV[2]) + lock) * 1000))
return f
`;

class RedisThrottleStore implements ThrottleStore {
  private readonly redis: Redis;
  constructor(url: string, private readonly limits: Limits, private readonly prefix = 'guichet:throttle:') {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
    this.redis.defineCommand('throttleFail', { numberOfKeys: 1, lua: FAIL });
  }
  async lockedFor(keys: string[], nowMs: number) {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hget(this.prefix + key, 'u');
    const results = (await pipeline.exec()) ?? [];
    let wait = 0;
    for (const [, value] of results) if (value) wait = Math.max(wait, Number(value) - nowMs);
    return wait;
  }
  async fail(key: string, maxFailures: number, nowMs: number) {
    await (this.redis as unknown as { throttleFail: (...a: unknown[]) => Promise<number> }).throttleFail(
      this.prefix + key, maxFailures, this.limits.windowSeconds, this.limits.maxLockSeconds, BASE_LOCK_SECONDS, nowMs,
    );
  }
  async clear(key: string) {
    await this.redis.del(this.prefix + key);
  }
  async close() {
    this.redis.disconnect();
  }
}

export interface CredentialThrottle {
  /**
   * Runs one credential check for a subject: refused at once (RATE_LIMITED, nothing hashed) while the
   * account or the address is locked or the address has too many checks running; otherwise the check
   * runs and its failure is counted (its success clears the account's count).
   */
  guard(subject: ThrottleSubject, check: () => Promise<boolean>): Promise<boolean>;
  close(): Promise<void>;
}

export function createCredentialThrottle(config: Pick<Config, 'redisUrl' | 'credentialThrottle'>, clock: () => Date): CredentialThrottle {
  const limits = config.credentialThrottle;
  const store: ThrottleStore = config.redisUrl ? new RedisThrottleStore(config.redisUrl, limits) : new MemoryThrottleStore(limits);
  const running = new Map<string, number>();
  return {
    async guard(subject, check) {
      const account = subject.account ? `account:${subject.account.trim().toLowerCase()}` : null;
      const ip = subject.ip ? `ip:${subject.ip}` : null;
      const keys = [account, ip].filter((k): k is string => k !== null);
      const wait = await store.lockedFor(keys, clock().getTime());
      if (wait > 0) throw tooMany(Math.ceil(wait / 1000));
      const address = subject.ip ?? null;
      if (address !== null) {
        const now = running.get(address) ?? 0;
        if (now >= CONCURRENT_PER_IP) throw tooMany(1);
        running.set(address, now + 1);
      }
      let ok: boolean;
      try {
        ok = await check();
      } finally {
        if (address !== null) {
          const left = (running.get(address) ?? 1) - 1;
          if (left <= 0) running.delete(address);
          else running.set(address, left);
        }
      }
      const t = clock().getTime();
      if (ok) {
        if (account) await store.clear(account);
      } else {
        if (account) await store.fail(account, limits.maxFailures, t);
        if (ip) await store.fail(ip, limits.maxFailuresPerIp, t);
      }
      return ok;
    },
    close: () => store.close(),
  };
}

function tooMany(retryAfterSeconds: number) {
  return new DomainError('RATE_LIMITED', `Too many failed attempts: try again in ${retryAfterSeconds} s`, { retry_after: retryAfterSeconds });
}

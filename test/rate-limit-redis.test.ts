import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { RedisRateLimiter } from '../src/http/rate-limit.ts';

// Needs a Redis server: runs when TEST_REDIS_URL is set (CI sets it), skipped on a bare machine.
const REDIS_URL = process.env.TEST_REDIS_URL;

describe('rate limit shared through Redis', { skip: REDIS_URL ? false : 'set TEST_REDIS_URL to run' }, () => {
  test('two processes (two limiters) enforce one sliding window per token', async () => {
    const prefix = `guichet:test:${crypto.randomBytes(4).toString('hex')}:`;
    const one = new RedisRateLimiter(REDIS_URL!, 5, 60_000, prefix);
    const two = new RedisRateLimiter(REDIS_URL!, 5, 60_000, prefix);
    try {
      const t0 = 1_800_000_000_000;
      const decisions = [];
      for (let i = 0; i < 7; i++) decisions.push(await (i % 2 === 0 ? one : two).hit('token:1', t0 + i * 1000));
      assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, true, true, false, false]);
      assert.deepEqual(decisions.map((d) => d.remaining), [4, 3, 2, 1, 0, 0, 0]);
      assert.ok(decisions.every((d) => d.reset === Math.ceil((t0 + 60_000) / 1000)), 'reset = when the oldest request expires');
      // Concurrent hits from both processes never exceed the limit.
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).hit('token:2', t0)));
      assert.equal(burst.filter((d) => d.allowed).length, 5);
      // A minute after the first request, one slot is free again, and reset moves to the second request.
      const later = await one.hit('token:1', t0 + 60_000);
      assert.equal(later.allowed, true);
      assert.equal(later.reset, Math.ceil((t0 + 1000 + 60_000) / 1000));
      assert.equal((await two.hit('token:1', t0 + 60_000)).allowed, false);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledRandomBytes } from '../src/core/random.ts';

test('pooled random bytes: each draw is fresh, and bytes handed out never change when the pool is refilled', () => {
  const first = pooledRandomBytes(16);
  const kept = Buffer.from(first);
  const seen = new Set<string>([first.toString('hex')]);
  // Enough draws to refill the 4 KiB pool several times.
  for (let i = 0; i < 2000; i++) {
    const draw = pooledRandomBytes(16);
    assert.equal(draw.length, 16);
    const hex = draw.toString('hex');
    assert.ok(!seen.has(hex), 'no 16 bytes are handed out twice');
    seen.add(hex);
  }
  assert.deepEqual(first, kept, 'a draw is not overwritten by a later refill');
  assert.equal(pooledRandomBytes(5000).length, 5000, 'a draw larger than the pool is served directly');
  assert.equal(pooledRandomBytes(0).length, 0);
});

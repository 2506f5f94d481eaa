import crypto from 'node:crypto';

/**
 * Random bytes for references (barcodes, order numbers, payment references), taken from a pool the
 * CSPRNG fills 4 KiB at a time, as Node does for `randomUUID`. `crypto.randomBytes` costs ≈ 3–8 µs
 * a call however few bytes it returns, and the on-sale asks for a few bytes several times an order.
 * Each refill allocates a new buffer, so bytes handed out are never overwritten or handed out twice.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function pooledRandomBytes(length: number): Buffer {
  if (length > POOL_SIZE / 8) return crypto.randomBytes(length);
  if (offset + length > pool.length) {
    pool = crypto.randomBytes(POOL_SIZE);
    offset = 0;
  }
  return pool.subarray(offset, (offset += length));
}

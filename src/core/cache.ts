/**
 * A small in-process cache with a time to live, for what every request asks again (who is this
 * token, which sales channel): it spares a database round trip per request. Entries expire on the
 * core clock; the oldest go first when full. Changes made by this process clear the affected cache
 * at once; other processes see them within the TTL.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => Date,
    private readonly max = 10_000,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.clock().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Caches a value until the TTL passes, or `until` (epoch ms) if that is sooner. */
  set(key: K, value: V, until = Infinity): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { value, until: Math.min(until, this.clock().getTime() + this.ttlMs) });
  }

  clear(): void {
    this.entries.clear();
  }
}

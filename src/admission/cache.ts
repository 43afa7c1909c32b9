/**
 * A TTL cache that also shares in-flight lookups: two requests (or two containers of one request)
 * asking for the same key while the first lookup runs wait for that one lookup. Failures are not
 * cached. Bounded: the oldest entries go first when it is full.
 */
export class TtlCache<V> {
  private readonly values = new Map<string, { value: V; expires: number }>();
  private readonly pending = new Map<string, Promise<V>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): V | undefined {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs = this.ttlMs): void {
    if (ttlMs <= 0) return;
    if (this.values.size >= this.maxEntries) {
      const oldest = this.values.keys().next();
      if (!oldest.done) this.values.delete(oldest.value);
    }
    this.values.set(key, { value, expires: this.now() + ttlMs });
  }

  /** The cached value, the lookup already running for `key`, or a new lookup (cached on success). */
  getOrLoad(key: string, load: () => Promise<V>, ttlOf: (value: V) => number = () => this.ttlMs): { value: Promise<V>; cached: boolean } {
    const hit = this.get(key);
    if (hit !== undefined) {
      this.hits++;
      return { value: Promise.resolve(hit), cached: true };
    }
    const running = this.pending.get(key);
    if (running) {
      this.hits++;
      return { value: running, cached: true };
    }
    this.misses++;
    const promise = load().then(
      (value) => {
        this.pending.delete(key);
        this.set(key, value, ttlOf(value));
        return value;
      },
      (error: unknown) => {
        this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, promise);
    return { value: promise, cached: false };
  }

  get size(): number {
    return this.values.size;
  }
}

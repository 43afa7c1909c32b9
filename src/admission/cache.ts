/**
 * A TTL cache that also shares in-flight lookups: two requests (or two containers of one request)
 * asking for the same key while the first lookup runs wait for that one lookup. Failures are not
 * cached. Bounded by entries and, when given a weigher, by bytes: the oldest entries go first when
 * either bound is reached.
 */
export interface CacheBounds<V> {
  /** At most this many entries. */
  maxEntries?: number;
  /** At most this many bytes, as `weigh` counts them (a key and its value). */
  maxBytes?: number;
  weigh?: (key: string, value: V) => number;
}

export class TtlCache<V> {
  private readonly values = new Map<string, { value: V; expires: number; bytes: number }>();
  private readonly pending = new Map<string, Promise<V>>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly weigh: ((key: string, value: V) => number) | undefined;
  private heldBytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    bounds: number | CacheBounds<V> = {},
  ) {
    const b = typeof bounds === 'number' ? { maxEntries: bounds } : bounds;
    this.maxEntries = b.maxEntries ?? 10_000;
    this.maxBytes = b.maxBytes ?? Infinity;
    this.weigh = b.weigh;
  }

  get(key: string): V | undefined {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.delete(key, entry.bytes);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs = this.ttlMs): void {
    if (ttlMs <= 0) return;
    const bytes = this.weigh ? this.weigh(key, value) : 0;
    if (bytes > this.maxBytes) return; // larger than the whole budget: never held
    const held = this.values.get(key);
    if (held) this.delete(key, held.bytes);
    while (this.values.size > 0 && (this.values.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes)) {
      const [oldest, entry] = this.values.entries().next().value as [string, { bytes: number }];
      this.delete(oldest, entry.bytes);
    }
    this.values.set(key, { value, expires: this.now() + ttlMs, bytes });
    this.heldBytes += bytes;
  }

  private delete(key: string, bytes: number): void {
    this.values.delete(key);
    this.heldBytes -= bytes;
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

  /** Bytes held, as the weigher counts them (0 without one). */
  get bytes(): number {
    return this.heldBytes;
  }
}

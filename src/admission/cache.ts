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
  /** Called when an entry leaves (expired, replaced or evicted): what it shared can be let go. */
  onDelete?: (key: string, value: V) => void;
}

export class TtlCache<V> {
  private readonly values = new Map<string, { value: V; expires: number; bytes: number }>();
  private readonly onDelete: ((key: string, value: V) => void) | undefined;
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
    this.onDelete = b.onDelete;
  }

  get(key: string): V | undefined {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.delete(key, entry);
      return undefined;
    }
    return entry.value;
  }

  /** False when the value is not held (no TTL, or larger than the whole byte budget). */
  set(key: string, value: V, ttlMs = this.ttlMs): boolean {
    if (ttlMs <= 0) return false;
    const bytes = this.weigh ? this.weigh(key, value) : 0;
    if (bytes > this.maxBytes) return false; // larger than the whole budget: never held
    const held = this.values.get(key);
    if (held) this.delete(key, held);
    while (this.values.size > 0 && (this.values.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes)) {
      const [oldest, entry] = this.values.entries().next().value as [string, { value: V; bytes: number }];
      this.delete(oldest, entry);
    }
    this.values.set(key, { value, expires: this.now() + ttlMs, bytes });
    this.heldBytes += bytes;
    return true;
  }

  private delete(key: string, entry: { value: V; bytes: number }): void {
    this.values.delete(key);
    this.heldBytes -= entry.bytes;
    this.onDelete?.(key, entry.value);
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

/**
 * Values many cache entries hold alike, held once: `intern` hands out the first value equal to the
 * one given (by a text key) and counts its holders; `release` lets it go with the last holder. A
 * decision cache under a stream of distinct pods (every one with its own label) holds thousands of
 * keys but a handful of answers: one copy each, instead of one per key, keeps what every new entry
 * adds to the old generation small, so the heap (and RSS) stays flat once the cache is full.
 */
export class InternPool<V> {
  private readonly held = new Map<string, { value: V; holders: number }>();

  /** The pooled value for `key` (the one given when none is pooled yet, or when `same` says the pooled one differs). */
  intern(key: string, value: V, same: (a: V, b: V) => boolean = () => true): V {
    const entry = this.held.get(key);
    if (entry === undefined) {
      this.held.set(key, { value, holders: 1 });
      return value;
    }
    if (!same(entry.value, value)) return value;
    entry.holders++;
    return entry.value;
  }

  /** One holder of `value` (as interned under `key`) is gone; a value not pooled is ignored. */
  release(key: string, value: V): void {
    const entry = this.held.get(key);
    if (entry === undefined || entry.value !== value) return;
    if (--entry.holders === 0) this.held.delete(key);
  }

  get size(): number {
    return this.held.size;
  }
}

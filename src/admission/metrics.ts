/**
 * Prometheus text exposition (format 0.0.4), hand-written: a few counters and one histogram are
 * all the webhook needs, and prom-client would be the largest thing in the process.
 */

type Labels = Readonly<Record<string, string>>;

/** The series key: cheaper than the escaped text on every request; the text is built when a series is first seen. */
const seriesKey = (labels: Labels): string => {
  let key = '';
  for (const name in labels) key += `${name}\u0001${labels[name]}\u0000`;
  return key;
};

const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
};

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = seriesKey(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }
  get(labels: Labels = {}): number {
    return this.values.get(seriesKey(labels))?.value ?? 0;
  }
  render(type = 'counter'): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${type}`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

/** Seconds; from 1 ms to the 10 s default webhook timeout. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {}
  observe(labels: Labels, value: number): void {
    const key = seriesKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) entry.counts[i]!++;
    entry.sum += value;
    entry.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

export class Metrics {
  readonly requests = new Counter('palisade_admission_requests_total', 'HTTP requests to the webhook by path and status code.');
  readonly decisions = new Counter('palisade_admission_decisions_total', 'Admission decisions by endpoint, decision and kind.');
  readonly failures = new Counter('palisade_admission_failure_policy_total', 'Lookups and checks decided by the failure policy.');
  readonly latency = new Histogram('palisade_admission_duration_seconds', 'Time from request received to response written, by endpoint.');
  /**
   * Connections against handshakes: each accepted connection costs the server its half of a TLS
   * handshake once the ClientHello is read, and a client that dials and then abandons connections
   * (Go's net/http before 1.23 with a request timeout, golang/go#59017) shows as connections far
   * above handshakes and requests.
   */
  readonly connections = new Counter('palisade_admission_connections_total', 'TCP connections accepted.');
  readonly handshakes = new Counter('palisade_admission_tls_handshakes_total', 'TLS handshakes completed.');
  readonly abandoned = new Counter('palisade_admission_connections_abandoned_total', 'Connections their client closed before the server started a TLS handshake: closed without one.');
  /** Cache statistics read when scraped. */
  constructor(private readonly caches: () => Record<string, { hits: number; misses: number; size: number; bytes?: number }> = () => ({})) {}

  render(): string {
    const hits = new Counter('palisade_admission_cache_hits_total', 'Cache hits (including lookups shared with one already running), by cache.');
    const misses = new Counter('palisade_admission_cache_misses_total', 'Cache misses, by cache.');
    const sizes = new Counter('palisade_admission_cache_entries', 'Entries held, by cache.');
    const bytes = new Counter('palisade_admission_cache_bytes', 'Bytes held (keys and answers, a byte a character), by cache bounded by bytes.');
    for (const [cache, stats] of Object.entries(this.caches())) {
      hits.inc({ cache }, stats.hits);
      misses.inc({ cache }, stats.misses);
      sizes.inc({ cache }, stats.size);
      if (stats.bytes !== undefined) bytes.inc({ cache }, stats.bytes);
    }
    return [this.requests.render(), this.decisions.render(), this.failures.render(), this.latency.render(), this.connections.render(), this.handshakes.render(), this.abandoned.render(), hits.render(), misses.render(), sizes.render('gauge'), bytes.render('gauge')].join('\n') + '\n';
  }
}

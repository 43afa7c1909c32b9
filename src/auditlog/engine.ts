/**
 * Runs loaded rules over audit events and produces Falco-shaped alerts. Each event is matched
 * against every enabled rule (Falco's `rule_matching: all`; `first` stops at the first rule in load
 * order, Falco's default). A rule fires once per auditID: the stages of one request
 * (RequestReceived, ResponseStarted, ResponseComplete) and the webhook's re-deliveries of a batch
 * share it. The memory of seen auditIDs is bounded, so a stream can run for ever.
 */
import type { Location } from '../core/types.js';
import { rawTime, type AuditEvent } from './fields/extract.js';
import type { CompiledRule, LoadedRules, Priority } from './rules/loader.js';
import { RuleIndex } from './rules/ruleIndex.js';

export interface Alert {
  rule: string;
  priority: Priority;
  source: string;
  tags: string[];
  /** The rule's output format filled in for this event. */
  output: string;
  /** Falco's output_fields: each field of the format by its written name. */
  outputFields: Record<string, string | string[] | null>;
  /** The event's time (stageTimestamp), RFC 3339 with nanoseconds, as Falco writes `time`. */
  time: string;
  auditID?: string;
  /** Where the event was read. */
  location: Location;
}

export interface EngineOptions {
  ruleMatching?: 'all' | 'first';
  /** How many (rule, auditID) pairs to remember for de-duplication. */
  dedupWindow?: number;
}

/** Nanoseconds since the epoch → RFC 3339 with nine fractional digits. */
export function isoTime(nanos: string | undefined): string {
  if (nanos === undefined) return '1970-01-01T00:00:00.000000000Z';
  // rawTime writes whole seconds then nine digits; below 16 digits of seconds a double is exact.
  if (nanos.length > 9 && nanos.length < 25 && nanos.charCodeAt(0) !== 45 /* - */) {
    const seconds = nanos.slice(0, -9);
    // Alerts come in bursts within one second: its date and time are written once.
    if (seconds !== lastSeconds) {
      lastSeconds = seconds;
      lastSecondsIso = new Date(Number(seconds) * 1000).toISOString().slice(0, -4);
    }
    return `${lastSecondsIso}${nanos.slice(-9)}Z`;
  }
  const n = BigInt(nanos);
  const seconds = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, '0');
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

let lastSeconds = '';
let lastSecondsIso = '';

export class AuditLogEngine {
  private readonly ctx;
  private readonly rules: CompiledRule<AuditEvent>[];
  private readonly index: RuleIndex<AuditEvent, CompiledRule<AuditEvent>>;
  private readonly order: Map<CompiledRule<AuditEvent>, number>;
  private readonly first: boolean;
  private readonly seen = new Map<string, true>();
  private readonly window: number;

  constructor(loaded: LoadedRules<AuditEvent>, options: EngineOptions = {}) {
    this.ctx = loaded.context();
    this.rules = loaded.enabled;
    this.index = new RuleIndex(this.rules, loaded.indexReaders);
    this.order = new Map(this.rules.map((r, i) => [r, i]));
    this.first = options.ruleMatching === 'first';
    this.window = options.dedupWindow ?? 200_000;
  }

  /** The alerts of one event, in rule load order. */
  process(event: AuditEvent, location: Location): Alert[] {
    const ctx = this.ctx;
    ctx.reset(event);
    let out: Alert[] | undefined;
    const id = event.auditID;
    const auditID = typeof id === 'string' ? id : undefined;
    // Only the rules the event's stage, resource, verb and subresource leave possible.
    const candidates = this.index.candidates(ctx);
    for (let c = 0; c < candidates.length; c++) {
      const rule = candidates[c] as CompiledRule<AuditEvent>;
      if (!rule.condition(ctx)) continue;
      if (auditID !== undefined) {
        const key = `${this.order.get(rule) as number}\u0000${auditID}`;
        if (this.seen.has(key)) {
          if (this.first) break;
          continue;
        }
        this.seen.set(key, true);
        if (this.seen.size > this.window) this.seen.delete(this.seen.keys().next().value as string);
      }
      const alert: Alert = {
        rule: rule.name,
        priority: rule.priority,
        source: rule.source,
        tags: rule.tags,
        output: rule.output.render(ctx),
        outputFields: rule.output.fields(ctx),
        time: isoTime(rawTime(event)),
        location,
      };
      if (auditID !== undefined) alert.auditID = auditID;
      (out ??= []).push(alert);
      if (this.first) break;
    }
    return out ?? [];
  }
}

import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import type { Location } from '../../core/types.js';
import { netpolError, type NetpolErrorCode } from '../errors.js';
import type { RuleOrigin } from '../model.js';
import { compileSelector, escapePointer, MATCH_ALL, type Selector } from '../selector.js';
import { isProtocol, type Protocol } from '../sets/connectionSet.js';
import { IpSet, parseCidr } from '../sets/ipSet.js';
import { isPlainObject } from '../../core/object.js';

/** Collects a resource's problems with their file:line:column, so one bad field never hides the next. */
export class Problems {
  readonly errors: PalisadeError[] = [];
  /** What is read, but perhaps not as the author meant. */
  readonly warnings: PalisadeError[] = [];
  /** `strictFields`: a field the schema does not have is an error (the API server's strict validation), else a warning. */
  constructor(
    readonly resource: Resource,
    private readonly strictFields = false,
  ) {}

  /** Report the keys of `value` that `allowed` does not list. */
  unknownFields(value: Record<string, unknown>, allowed: readonly string[], pointer: string): void {
    this.reportUnknown(Object.keys(value).filter((key) => !allowed.includes(key)), pointer, 'NETPOL_UNKNOWN_FIELD');
  }

  /** Fields the schema does not have: errors under strict validation, else warnings. */
  private reportUnknown(keys: readonly string[], pointer: string, code: NetpolErrorCode): void {
    for (const key of keys) {
      if (this.strictFields) this.add(code, `${pointer}/${escapePointer(key)}`, `"${key}"`);
      else this.warn(code, `${pointer}/${escapePointer(key)}`, `"${key}"`);
    }
  }

  add(code: NetpolErrorCode, pointer: string, detail = ''): void {
    this.errors.push(netpolError(code, detail, this.resource.locate(pointer)));
  }

  warn(code: NetpolErrorCode, pointer: string, detail = ''): void {
    this.warnings.push(netpolError(code, detail, this.resource.locate(pointer), 'warning'));
  }

  /** The location is computed when first read: explain needs a few, a large matrix none. */
  origin(id: string, policy: string, description: string, pointer: string): RuleOrigin {
    const resource = this.resource;
    let location: Location | undefined;
    return {
      id,
      policy,
      description,
      get location(): Location {
        location ??= resource.locate(pointer);
        return location;
      },
    };
  }

  selector(value: unknown, pointer: string): Selector {
    const { selector, problems, unknownFields } = compileSelector(value);
    for (const p of problems) this.add('NETPOL_INVALID_SELECTOR', pointer + p.pointer, p.reason);
    this.reportUnknown(unknownFields, pointer, 'NETPOL_UNKNOWN_SELECTOR_FIELD');
    return problems.length > 0 ? MATCH_ALL : selector;
  }

  protocol(value: unknown, pointer: string): Protocol {
    if (value === undefined || value === null || value === '') return 'TCP';
    if (isProtocol(value)) return value;
    this.add('NETPOL_INVALID_PROTOCOL', pointer, gotText(value));
    return 'TCP';
  }

  /** A CIDR as an address set, or undefined (with a problem recorded) when it does not parse. */
  cidr(value: unknown, pointer: string): IpSet | undefined {
    const parsed = typeof value === 'string' ? parseCidr(value) : undefined;
    if (!parsed) {
      this.add('NETPOL_INVALID_CIDR', pointer, gotText(value));
      return undefined;
    }
    return IpSet.range(parsed.family, parsed.first, parsed.last);
  }
}

/**
 * What an input error says it found: the value as JSON, cut to a readable length (an error line must
 * not echo a megabyte of hostile input), or "missing" when the field is absent.
 */
export function gotText(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return `got ${text.length > GOT_TEXT_MAX ? `${text.slice(0, GOT_TEXT_MAX)}…` : text}`;
}
const GOT_TEXT_MAX = 80;

/**
 * A long text quoted around one offset (a selector's syntax error): the 60 characters about it,
 * cut marks where the text goes on. Short texts are quoted whole.
 */
export function quotedAround(text: string, offset: number): string {
  if (text.length <= GOT_TEXT_MAX) return JSON.stringify(text);
  const from = Math.max(0, Math.min(offset - 30, text.length - 60));
  const to = Math.min(text.length, from + 60);
  return `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, to))}${to < text.length ? '…' : ''}`;
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function metadataOf(object: Record<string, unknown>): { name: string; namespace: string; labels: Record<string, string> } {
  const metadata = asObject(object.metadata) ?? {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(metadata.labels) ?? {})) labels[k] = String(v);
  return {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default',
    labels,
  };
}

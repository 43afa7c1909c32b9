import { joinPointer } from '../core/pointer.js';
import { deepest, type Container, type PodSpec } from './podSpec.js';
import type { CheckResult, FieldRef } from './types.js';

/** Small helpers shared by the checks, mirroring upstream's policy/helpers.go so the wording matches. */

export const ALLOWED: CheckResult = Object.freeze({ allowed: true });

export function forbid(reason: string, detail: string, fields: FieldRef[]): CheckResult {
  return { allowed: false, reason, detail, fields };
}

/** A pointer relative to the pod spec. */
export function specField(base: string, ...tokens: Array<string | number>): FieldRef {
  return { in: 'spec', pointer: joinPointer(base, ...tokens) };
}

/** A spec field that may be missing: points at its deepest existing parent below `base`. */
export function deepestField(root: object, base: string, keys: readonly string[]): FieldRef {
  return { in: 'spec', pointer: deepest(root, base, keys) };
}

/** A pointer relative to the pod metadata. */
export function metadataField(...tokens: Array<string | number>): FieldRef {
  return { in: 'metadata', pointer: joinPointer('', ...tokens) };
}

/** `"a", "b"`: upstream's joinQuote (no escaping: the items are names and values as written). */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `container "a"` / `containers "a", "b"`, the setter phrase most details start with. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** Go's sets.List(): unique values in byte order (not locale order). */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's zero value for an unset container name. */
export function nameOf(container: Container): string {
  return container.name ?? '';
}

/** KEP-127: pods in a user namespace (`hostUsers: false`) get some restricted fields relaxed. */
export function relaxForUserNamespace(spec: PodSpec): boolean {
  return spec.hostUsers === false;
}

/** Pod API validation already forbids Linux-only fields on Windows pods, so some checks skip them. */
export function isWindowsPod(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}

const GO_ESCAPES: Record<string, string> = { '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's `%q` for a string: double-quoted, escaping quotes, backslashes and non-printable characters. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    const escape = GO_ESCAPES[ch];
    if (escape) out += escape;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]|[^\P{Zs}\u0020]/u.test(ch)) {
      out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** A versioned allow-list: each step adds values from its version on. */
export interface AllowListStep {
  minimumVersion: string;
  added: readonly string[];
}

/** Expand allow-list steps into the full list that applies from each step's version on. */
export function accumulate(steps: readonly AllowListStep[]): Array<{ minimumVersion: string; allowed: ReadonlySet<string> }> {
  const allowed = new Set<string>();
  return steps.map(({ minimumVersion, added }) => {
    for (const value of added) allowed.add(value);
    return { minimumVersion, allowed: new Set(allowed) };
  });
}

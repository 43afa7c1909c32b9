import { PackageURL } from 'packageurl-js';
import { parse as parseYaml } from 'yaml';
import { PalisadeError } from '../../../core/errors.js';
import type { Suppression } from '../../../core/types.js';
import type { ReportedVulnerability, VexStatement } from './types.js';

/** purls name the same package when type, namespace, name agree, and version too where the statement gives one. */
export function purlMatches(statementPurl: string, packagePurl: string | undefined): boolean {
  if (!packagePurl) return false;
  let a: PackageURL;
  let b: PackageURL;
  try {
    a = PackageURL.fromString(statementPurl);
    b = PackageURL.fromString(packagePurl);
  } catch {
    return statementPurl === packagePurl;
  }
  const same = (x: string | null | undefined, y: string | null | undefined): boolean => (x ?? '').toLowerCase() === (y ?? '').toLowerCase();
  return same(a.type, b.type) && same(a.namespace, b.namespace) && same(a.name, b.name) && (!a.version || a.version === b.version);
}

function namesVulnerability(statement: VexStatement, v: ReportedVulnerability): boolean {
  const ids = new Set([statement.vulnerability, ...statement.aliases]);
  return ids.has(v.id) || v.aliases.some((a) => ids.has(a));
}

/** Reports without purls (older Trivy) are matched by the package name and version a statement's purl names. */
function namesPackage(statementPurl: string, v: ReportedVulnerability): boolean {
  if (v.purl) return purlMatches(statementPurl, v.purl);
  try {
    const purl = PackageURL.fromString(statementPurl);
    return purl.name === v.package && (!purl.version || purl.version === v.version);
  } catch {
    return false;
  }
}

/** The VEX statement that clears a vulnerability: not_affected or fixed, for its id and package. */
export function vexFor(v: ReportedVulnerability, statements: readonly VexStatement[]): VexStatement | undefined {
  return statements.find((s) => (s.status === 'not_affected' || s.status === 'fixed') && namesVulnerability(s, v) && (s.products.length === 0 || s.products.some((p) => namesPackage(p, v))));
}

export interface AllowEntry {
  id: string;
  package?: string;
  reason: string;
  expires?: string;
}

/**
 * The allow-list file: `ignore: [{id, package?, reason, expires?}]` in YAML or JSON. A reason is
 * required: an exception nobody can explain is not an exception.
 */
export function readAllowList(file: string, text: string): { entries: AllowEntry[]; errors: PalisadeError[] } {
  const errors: PalisadeError[] = [];
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (cause) {
    return { entries: [], errors: [new PalisadeError('CONFIG_INVALID', `${file}: not YAML: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause })] };
  }
  const list = value !== null && typeof value === 'object' && Array.isArray((value as { ignore?: unknown }).ignore) ? ((value as { ignore: unknown[] }).ignore) : undefined;
  if (!list) return { entries: [], errors: [new PalisadeError('CONFIG_INVALID', `${file}: expected a mapping with an "ignore" list`, { errorClass: 'fatal', location: { file, line: 1, column: 1 } })] };
  const entries: AllowEntry[] = [];
  list.forEach((item, i) => {
    const e = item as Record<string, unknown> | null;
    const expires = e?.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : e?.expires;
    if (!e || typeof e.id !== 'string' || typeof e.reason !== 'string' || e.reason.trim() === '' || (expires !== undefined && (typeof expires !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(expires)))) {
      errors.push(new PalisadeError('CONFIG_INVALID', `${file}: ignore[${i}] needs an id, a reason and an optional expires date (YYYY-MM-DD)`, { errorClass: 'fatal', location: { file, line: 1, column: 1 } }));
      return;
    }
    entries.push({ id: e.id, reason: e.reason, ...(typeof e.package === 'string' ? { package: e.package } : {}), ...(typeof expires === 'string' ? { expires } : {}) });
  });
  return { entries, errors };
}

/** The allow-list entry that applies: same id (or alias), same package if given, not expired at `now`. */
export function allowedBy(v: ReportedVulnerability, entries: readonly AllowEntry[], now: Date): AllowEntry | undefined {
  const today = now.toISOString().slice(0, 10);
  return entries.find((e) => (e.id === v.id || v.aliases.includes(e.id)) && (e.package === undefined || e.package === v.package) && (e.expires === undefined || e.expires >= today));
}

export function suppressionOf(v: ReportedVulnerability, statements: readonly VexStatement[], allow: readonly AllowEntry[], now: Date): Suppression | undefined {
  const statement = vexFor(v, statements);
  if (statement) return { by: 'config', reason: `VEX ${statement.status}${statement.justification ? ` (${statement.justification})` : ''} from ${statement.source}` };
  const entry = allowedBy(v, allow, now);
  if (entry) return { by: 'config', reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) };
  return undefined;
}

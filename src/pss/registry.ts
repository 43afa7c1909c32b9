import { PalisadeError } from '../core/errors.js';
import type { CheckLevel, EvaluateFn, PssCheck } from './types.js';
import { LATEST, minorOf } from './version.js';

/**
 * The check registry, as upstream's policy/registry.go: validate the checks once, then expand them
 * into one ordered table per minor version so that evaluation is a lookup. Order is fixed (baseline
 * IDs sorted, then restricted IDs sorted), so messages are stable.
 */

export type PssRegistryErrorCode =
  | 'PSS_DUPLICATE_CHECK'
  | 'PSS_EMPTY_CHECK'
  | 'PSS_BAD_LEVEL'
  | 'PSS_BAD_VERSION'
  | 'PSS_VERSIONS_NOT_INCREASING'
  | 'PSS_BAD_OVERRIDE';

export interface TableEntry {
  id: string;
  evaluate: EvaluateFn;
}

export interface Registry {
  /** The newest minor any check names: `latest` and newer versions use its table. */
  readonly newestMinor: number;
  /** The checks that apply at a level and minor version, in message order. */
  table(level: CheckLevel, minor: number): readonly TableEntry[];
}

function registryError(code: PssRegistryErrorCode, message: string): PalisadeError {
  return new PalisadeError(code, message, { errorClass: 'fatal' });
}

/** Every problem with the check list, as values; empty when the list is valid. */
export function validateChecks(checks: readonly PssCheck[]): PalisadeError[] {
  const errors: PalisadeError[] = [];
  const levels = new Map<string, string>();
  for (const check of checks) {
    if (levels.has(check.id)) errors.push(registryError('PSS_DUPLICATE_CHECK', `multiple checks registered for ID ${check.id}`));
    levels.set(check.id, check.level);
    if (check.level !== 'baseline' && check.level !== 'restricted') {
      errors.push(registryError('PSS_BAD_LEVEL', `check ${check.id}: invalid level ${String(check.level)}`));
    }
    if (check.versions.length === 0) errors.push(registryError('PSS_EMPTY_CHECK', `check ${check.id}: empty`));
    let previous = -1;
    for (const { minimumVersion } of check.versions) {
      const minor = minorOf(minimumVersion);
      if (minor === undefined) {
        const why = minimumVersion === LATEST ? "version cannot be 'latest'" : `invalid version ${minimumVersion}`;
        errors.push(registryError('PSS_BAD_VERSION', `check ${check.id}: ${why}`));
        continue;
      }
      if (minor <= previous) errors.push(registryError('PSS_VERSIONS_NOT_INCREASING', `check ${check.id}: versions must be strictly increasing`));
      previous = minor;
    }
  }
  for (const check of checks) {
    for (const { overrides = [] } of check.versions) {
      if (overrides.length > 0 && check.level !== 'restricted') {
        errors.push(registryError('PSS_BAD_OVERRIDE', `check ${check.id}: only restricted checks may set overrides`));
      }
      for (const target of overrides) {
        const level = levels.get(target);
        if (level !== 'baseline') {
          errors.push(registryError('PSS_BAD_OVERRIDE', `check ${check.id}: overrides ${level ?? 'unknown'} check ${target}`));
        }
      }
    }
  }
  return errors;
}

/** Byte order, as Go's sort.Strings. */
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The version of a check in effect at `minor`, if the check exists yet. */
function activeAt(check: PssCheck, minor: number): PssCheck['versions'][number] | undefined {
  let active: PssCheck['versions'][number] | undefined;
  for (const version of check.versions) {
    if ((minorOf(version.minimumVersion) ?? Infinity) <= minor) active = version;
  }
  return active;
}

/** Validate the checks (throwing the first problem: an invalid list is a programming error) and precompute the tables. */
export function createRegistry(checks: readonly PssCheck[]): Registry {
  const [firstError] = validateChecks(checks);
  if (firstError) throw firstError;

  const newestMinor = Math.max(0, ...checks.flatMap((c) => c.versions.map((v) => minorOf(v.minimumVersion) ?? 0)));
  const baselineChecks = checks.filter((c) => c.level === 'baseline').sort(byId);
  const restrictedChecks = checks.filter((c) => c.level === 'restricted').sort(byId);
  const tables: Array<Record<CheckLevel, TableEntry[]>> = [];
  for (let minor = 0; minor <= newestMinor; minor++) {
    const entries = (list: readonly PssCheck[]): Array<TableEntry & { overrides: readonly string[] }> =>
      list.flatMap((check) => {
        const active = activeAt(check, minor);
        return active ? [{ id: check.id, evaluate: active.evaluate, overrides: active.overrides ?? [] }] : [];
      });
    const baseline = entries(baselineChecks);
    const restricted = entries(restrictedChecks);
    const overridden = new Set(restricted.flatMap((entry) => entry.overrides));
    const strip = ({ id, evaluate }: TableEntry): TableEntry => ({ id, evaluate });
    tables.push({
      baseline: baseline.map(strip),
      restricted: [...baseline.filter((entry) => !overridden.has(entry.id)), ...restricted].map(strip),
    });
  }
  return {
    newestMinor,
    table(level, minor) {
      const tablesAt = tables[Math.min(Math.max(0, minor), newestMinor)];
      return tablesAt ? tablesAt[level] : [];
    },
  };
}


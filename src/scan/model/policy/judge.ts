import { PalisadeError } from '../../../core/errors.js';
import type { FindingData, RuleId } from './rules.js';
import { ALLOW_GLOBALS, ARGUMENT_CONDITIONS, DENY_MODULES, DENY_NAMES, NESTED_LOADERS, SCANNER_MODULES } from './globals.js';
import { fixImports } from './compatPickle.js';

/** The tables of globals.ts, indexed for lookups, plus the user's additions. */
export interface ScanPolicy {
  denyModules: ReadonlySet<string>;
  denyNames: ReadonlyMap<string, readonly string[]>;
  allowNames: ReadonlyMap<string, readonly string[]>;
  scannerModules: ReadonlySet<string>;
  nestedLoaders: ReadonlySet<string>;
  argumentConditions: typeof ARGUMENT_CONDITIONS;
  /** Names a loader resolves by itself, without importing Python (TorchScript's C++ unpickler). */
  trusted?: TrustedGlobals;
}

/** Globals a particular loader handles itself; matched on the raw names the pickle spells. */
export interface TrustedGlobals {
  names: ReadonlyMap<string, readonly string[]>;
  /** Modules (with their submodules) whose every name the loader resolves itself. */
  modules: readonly string[];
  /** Submodules of `modules` that are not trusted after all. */
  exceptModules: readonly string[];
}

/** The policy of a member read by a loader that resolves `trusted` itself. */
export function withTrusted(policy: ScanPolicy, trusted: TrustedGlobals): ScanPolicy {
  return { ...policy, trusted };
}

function under(module: string, parents: readonly string[]): boolean {
  return parents.some((p) => module === p || module.startsWith(`${p}.`));
}

function isTrusted(trusted: TrustedGlobals | undefined, module: string, name: string): boolean {
  if (!trusted) return false;
  if (trusted.names.get(module)?.includes(name)) return true;
  return under(module, trusted.modules) && !under(module, trusted.exceptModules) && !name.includes('.');
}

/** `module:name` (name may be `*` or end in `*`) entries a user adds to either list. */
export interface PolicyOverrides {
  allow?: readonly string[];
  deny?: readonly string[];
}

export type GlobalJudgement =
  | { verdict: 'safe' }
  | { verdict: 'malicious' | 'suspicious'; rule: RuleId; data: FindingData };

function mergeNames(base: Readonly<Record<string, readonly string[]>>, extra: readonly string[], option: string): Map<string, string[]> {
  const merged = new Map<string, string[]>(Object.entries(base).map(([m, names]) => [m, [...names]]));
  for (const entry of extra) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) throw new PalisadeError('USAGE', `${option} expects module:name (or module:*), got "${entry}"`, { errorClass: 'fatal' });
    const module = entry.slice(0, colon);
    const names = merged.get(module) ?? [];
    names.push(entry.slice(colon + 1));
    merged.set(module, names);
  }
  return merged;
}

export function buildPolicy(overrides: PolicyOverrides = {}): ScanPolicy {
  return {
    denyModules: new Set(DENY_MODULES),
    denyNames: mergeNames(DENY_NAMES, overrides.deny ?? [], '--deny-global'),
    allowNames: mergeNames(ALLOW_GLOBALS, overrides.allow ?? [], '--allow-global'),
    scannerModules: new Set(SCANNER_MODULES),
    nestedLoaders: new Set(NESTED_LOADERS),
    argumentConditions: ARGUMENT_CONDITIONS,
  };
}

export const DEFAULT_POLICY: ScanPolicy = buildPolicy();

function matches(patterns: readonly string[] | undefined, name: string): boolean {
  if (!patterns) return false;
  for (const p of patterns) {
    if (p === '*' || p === name) return true;
    if (p.endsWith('*') && name.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}

/** `a.b.c` and its parents `a.b`, `a`: a listed module covers its submodules. */
function selfAndParents(module: string): string[] {
  const parts = module.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

/** The module and name an import resolves to: the Python 2 renames of fix_imports applied. */
export function canonicalGlobal(module: string, name: string): readonly [string, string] {
  return fixImports(module, name);
}

const DUNDER = /^__\w+__$/;

/**
 * Decide one import as the unpickler resolves it: a Python 2 name is judged as the Python 3 name
 * fix_imports (protocols 0-2) turns it into. Loaders of protocol 3+ import it as written, which is a
 * Python-2-only module (the import fails) or, for the few renamed names of Python 3 modules
 * (`_socket.fromfd`, `multiprocessing.*Error`, `urllib.quote`), one judged no better than its target.
 */
export function judgeGlobal(policy: ScanPolicy, rawModule: string, rawName: string): GlobalJudgement {
  if (isTrusted(policy.trusted, rawModule, rawName)) return { verdict: 'safe' };
  const [module, name] = fixImports(rawModule, rawName);
  return judgeExact(policy, module, name);
}

/**
 * Decide one import. Order: scanner tampering, deny-list (whole modules with their submodules, single
 * names, every component of a dotted name), allow-list; anything else is suspicious.
 */
function judgeExact(policy: ScanPolicy, module: string, name: string): GlobalJudgement {
  const global = `${module}.${name}`;
  const top = module.split('.')[0] ?? module;
  if (policy.scannerModules.has(top)) return { verdict: 'malicious', rule: 'PICKLE_SCANNER_TAMPERING', data: { global } };
  for (const m of selfAndParents(module)) {
    if (policy.denyModules.has(m)) return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: `module ${m}` } };
  }
  if (matches(policy.denyNames.get(module), name)) return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: 'callable' } };
  const parts = name.split('.');
  if (parts.length > 1) {
    // A dotted name is an attribute walk done by the unpickler: judge every step of it.
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      if (DUNDER.test(part)) return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: `attribute walk through ${part}` } };
      if (policy.denyModules.has(part)) return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: `reaches module ${part} by attribute` } };
      const owner = [module, ...parts.slice(0, i)].join('.');
      if (i > 0 && policy.denyModules.has(owner)) return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: `module ${owner}` } };
      if (matches(policy.denyNames.get(owner), part) || (i === 0 && matches(policy.denyNames.get(module), part))) {
        return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: `callable ${owner}.${part}` } };
      }
    }
  } else if (DUNDER.test(name) && name !== '__newobj__') {
    return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: 'module dunder attribute' } };
  } else if (policy.denyModules.has(name)) {
    // `pathlib` + `os`: a module that imported a deny-listed module hands it out as an attribute.
    return { verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global, reason: `reaches module ${name} by attribute` } };
  }
  if (matches(policy.allowNames.get(module), name)) return { verdict: 'safe' };
  return { verdict: 'suspicious', rule: 'PICKLE_NON_ALLOWLISTED_GLOBAL', data: { global } };
}

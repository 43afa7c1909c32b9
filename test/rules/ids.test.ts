import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/audit/catalogue.js';
import { inputErrors } from '../../src/audit/inputErrors.js';
import { checkDocsUrl } from '../../src/report/links.js';
import { ROOT } from '../helpers/shared.js';

/**
 * Every id a report can carry is listed (`checks list` for rules, `checks errors` for input-error
 * codes) and documented in docs/checks.md, so a report's documentation link never leads nowhere.
 * The ids the code can emit are collected from src/ by the places an id is written: an error's
 * constructor, a `code`/`checkId`/`rule`/`id` field, the first argument of an error or finding
 * helper, the last argument of a call, a ternary's branches, a `*Code` union type, a `*_ERRORS` table and an exported
 * id constant. A new id in any of those places fails here until it is registered.
 */
const SRC = join(ROOT, 'src');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const ID = String.raw`['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|USAGE)['"]`;
const SITES: RegExp[] = [
  new RegExp(String.raw`new \w*Err(?:or)?\(\s*` + ID, 'g'),
  new RegExp(String.raw`\b(?:code|checkId|rule|id)\s*[:=]\s*` + ID, 'g'),
  new RegExp(String.raw`\b\w*(?:[Ee]rror|[Ff]ail|add|warn|[Ff]inding|[Pp]roblem|refuse)\(\s*` + ID, 'g'),
  new RegExp(String.raw`,\s*` + ID + String.raw`\s*\)`, 'g'),
  new RegExp(String.raw`export const [A-Z][A-Z0-9_]* = ` + ID + ';', 'g'),
  // both branches of `cond ? 'A' : 'B'`
  new RegExp(String.raw`\?\s*` + ID + String.raw`\s*:`, 'g'),
  new RegExp(String.raw`\?\s*['"][A-Z0-9_]+['"]\s*:\s*` + ID, 'g'),
];

/** id → the files of src/ that write it at an emitting site. */
export function emittedIds(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const add = (id: string, file: string): void => {
    const where = found.get(id) ?? new Set<string>();
    where.add(file);
    found.set(id, where);
  };
  for (const path of files(SRC)) {
    const text = readFileSync(path, 'utf8');
    const file = relative(SRC, path);
    for (const site of SITES) for (const m of text.matchAll(site)) add(m[1]!, file);
    for (const m of text.matchAll(/type \w*Code\w*\s*=([^;]*);/g)) for (const n of m[1]!.matchAll(new RegExp(ID, 'g'))) add(n[1]!, file);
    for (const m of text.matchAll(/const \w*_ERRORS\w*\s*(?::[^=]*)?=\s*\{([\s\S]*?)\n\}/g)) for (const n of m[1]!.matchAll(/^\s*([A-Z][A-Z0-9_]+):/gm)) add(n[1]!, file);
  }
  return found;
}

/** Words written at those sites that no report carries, each with why. */
const NOT_REPORT_IDS: Record<string, string> = {
  // The pickle VM's fault codes unwind the VM; reports carry PICKLE_MALFORMED / SCAN_LIMIT_REACHED instead.
  PICKLE_BAD_ARGUMENT: 'pickle VM fault (internal)',
  PICKLE_BAD_PROTOCOL: 'pickle VM fault (internal)',
  PICKLE_MEMO_MISSING: 'pickle VM fault (internal)',
  PICKLE_NO_MARK: 'pickle VM fault (internal)',
  PICKLE_RESOURCE_LIMIT: 'pickle VM fault (internal)',
  PICKLE_STACK_UNDERFLOW: 'pickle VM fault (internal)',
  PICKLE_TRUNCATED: 'pickle VM fault (internal)',
  PICKLE_TYPE_ERROR: 'pickle VM fault (internal)',
  PICKLE_UNKNOWN_OPCODE: 'pickle VM fault (internal)',
  SCAN_OPCODE_LIMIT: 'pickle VM fault (internal); reported as SCAN_LIMIT_REACHED',
  SCAN_TIMEOUT: 'pickle VM fault (internal); reported as SCAN_LIMIT_REACHED (limit timeout)',
  // Environment variables and settings the checks read, named in message data.
  JUPYTER_PASSWORD: 'an environment variable the Jupyter check reads',
  JUPYTER_TOKEN: 'an environment variable the Jupyter check reads',
  RAY_AUTH_MODE: 'an environment variable the Ray dashboard check reads',
  TS_DISABLE_TOKEN_AUTHORIZATION: 'a TorchServe setting the check reads',
  TS_ENABLE_MODEL_API: 'a TorchServe setting the check reads',
  TS_MANAGEMENT_ADDRESS: 'a TorchServe setting the check reads',
  // sigstore-js error codes compared against, not reported.
  PUBLIC_KEY_ERROR: "a code of @sigstore/verify's errors",
};

describe('every id a report can carry is listed and documented', () => {
  const emitted = emittedIds();
  const rules = new Set(allRules().map((r) => r.id));
  const errors = new Set(inputErrors().map((e) => e.code));
  const docs = readFileSync(join(ROOT, 'docs/checks.md'), 'utf8');
  const headings = new Set([...docs.matchAll(/^## (\S+)$/gm)].map((m) => m[1]!));

  it('finds the ids at their sites (the scanner itself works)', () => {
    for (const id of ['LOAD_NOT_FOUND', 'NETPOL_INVALID_CIDR', 'IMAGE_BAD_DIGEST', 'HARDEN_EDIT_UNSAFE', 'CALICO_INVALID_SELECTOR', 'AUDITLOG_NO_PREVIOUS', 'USAGE', 'DOCKERFILE_NO_FROM']) expect(emitted.has(id), id).toBe(true);
  });

  it('every emitted id is a rule of `checks list` or a code of `checks errors` (or named above as not a report id)', () => {
    const missing = [...emitted].filter(([id]) => !rules.has(id) && !errors.has(id) && !NOT_REPORT_IDS[id]).map(([id, where]) => `${id} (${[...where].join(', ')}): add it to src/audit/inputErrors.ts or the rule registry`);
    expect(missing).toEqual([]);
  });

  it('lists no input-error code that nothing emits, none that is also a rule id, and no stale exception', () => {
    expect([...errors].filter((code) => !emitted.has(code))).toEqual([]);
    expect([...errors].filter((code) => rules.has(code))).toEqual([]);
    expect(Object.keys(NOT_REPORT_IDS).filter((id) => !emitted.has(id) || rules.has(id) || errors.has(id))).toEqual([]);
  });

  it('docs/checks.md has a heading for every rule and every input-error code, which is where reports link', () => {
    expect([...rules, ...errors].filter((id) => !headings.has(id))).toEqual([]);
    for (const id of [...rules, ...errors]) {
      const url = checkDocsUrl(id);
      if (url) expect(url.endsWith(`#${id.toLowerCase()}`), id).toBe(true);
    }
  });

  it('every input-error entry is complete: a title, a description and a remediation ending with a period', () => {
    expect(inputErrors().filter((e) => !e.title.trim() || !e.description.trim() || !e.remediation.trim().endsWith('.') || !/^[A-Z][A-Z0-9_]*$/.test(e.code))).toEqual([]);
  });
});

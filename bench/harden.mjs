// Harden throughput on the 329-file ml-manifests corpus, against two baselines measured in the same
// run: the yaml package's parse + stringify of the same files, and `audit` of the same files (issue 5:
// hardening should take at most 2x auditing).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../dist/core/load.js';
import { hardenText } from '../dist/harden/index.js';
import { audit } from '../dist/audit/index.js';

const corpus = fileURLToPath(new URL('../../shared/corpus/ml-manifests/', import.meta.url));
const files = JSON.parse(readFileSync(join(corpus, 'index.json'), 'utf8')).map((e) => ({ path: e.file, text: readFileSync(join(corpus, e.file), 'utf8') }));
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

const passes = {
  harden: () => {
    let changes = 0;
    for (const f of files) changes += hardenText(f.path, f.text).results.reduce((n, r) => n + r.changes.length, 0);
    return changes;
  },
  parseStringify: () => {
    let length = 0;
    for (const f of files) for (const d of parseAllDocuments(f.text)) length += d.toString().length;
    return length;
  },
  audit: () => {
    let findings = 0;
    for (const f of files) findings += audit(loadText(f.path, f.text)).findings.length;
    return findings;
  },
};

/**
 * Best of n rounds after a warm-up; each round times every pass back to back, so that load from
 * other processes hits all of them alike (these machines are noisy; the minimum is the least disturbed).
 */
function bestOf(n = 7) {
  for (const fn of Object.values(passes)) fn();
  const min = Object.fromEntries(Object.keys(passes).map((k) => [k, Infinity]));
  for (let i = 0; i < n; i++) {
    for (const [name, fn] of Object.entries(passes)) {
      globalThis.gc?.();
      const start = performance.now();
      fn();
      min[name] = Math.min(min[name], performance.now() - start);
    }
  }
  return min;
}

const { harden, parseStringify: parse, audit: auditMs } = bestOf();
const size = { files: files.length, bytes };
console.log(JSON.stringify({ bench: 'harden', size, ms: Math.round(harden), baselineMs: Math.round(parse), ratio: +(harden / parse).toFixed(2), baseline: 'yaml parse+stringify' }));
console.log(JSON.stringify({ bench: 'harden-vs-audit', size, ms: Math.round(harden), baselineMs: Math.round(auditMs), ratio: +(harden / auditMs).toFixed(2), baseline: 'palisade audit', changes: passes.harden() }));

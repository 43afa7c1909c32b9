#!/usr/bin/env node
/**
 * The behaviour snapshot: the JSON palisade prints for `audit`, `pss`, `scan` (model, dockerfile,
 * report), `netpol`, `harden` and `audit-log` over the shared corpora, fixtures and the examples, one sha256 per command line (with its exit code).
 * `test/behaviour/snapshot.test.ts` compares the current build with `expected.json`, so a refactor
 * that changes any output fails. When a change is meant, regenerate and say why in the commit:
 *
 *   npm run build && node test/behaviour/snapshot.mjs --write
 *   node test/behaviour/snapshot.mjs --dump DIR   # the raw outputs, to diff two builds
 *   node test/behaviour/snapshot.mjs --with-ids   # {hashes, ids, fields}: ids.json is every id the reports carry; fields every JSON field path
 *
 * Each command runs with its input's parent folder as cwd and a relative path, so the output is
 * the same in every checkout.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runCli as run } from '../helpers/inprocess.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(ROOT, '../shared');
const NETPOL = join(SHARED, 'conformance/netpol');

/** Every command line of the snapshot: [name, cwd, args]. */
export function commands() {
  const out = [];
  const corpus = join(SHARED, 'corpus');
  out.push(['audit ml-manifests', corpus, ['audit', 'ml-manifests', '--format', 'json', '--fail-on', 'none']]);
  out.push(['pss ml-manifests', corpus, ['pss', 'ml-manifests', '--format', 'json', '--fail-on', 'none']]);
  for (const example of ['ml-serving-insecure', 'ml-serving-hardened', 'network-intents']) {
    out.push([`audit examples/${example}`, ROOT, ['audit', `examples/${example}`, '--format', 'json', '--fail-on', 'none']]);
    out.push([`netpol lint examples/${example}`, ROOT, ['netpol', 'lint', `examples/${example}`, '--format', 'json', '--fail-on', 'none']]);
    out.push([`netpol matrix examples/${example}`, ROOT, ['netpol', 'matrix', `examples/${example}`, '--format', 'json', '--fail-on', 'none']]);
  }
  out.push(['netpol verify examples/ml-serving-hardened', ROOT, ['netpol', 'verify', 'examples/ml-serving-hardened/intents.yaml', 'examples/ml-serving-hardened', '--format', 'json', '--fail-on', 'none']]);
  out.push(['netpol verify examples/network-intents', ROOT, ['netpol', 'verify', 'examples/network-intents/intents.yaml', 'examples/network-intents', '--format', 'json', '--fail-on', 'none']]);
  out.push(['netpol verify insecure', ROOT, ['netpol', 'verify', 'examples/ml-serving-hardened/intents.yaml', 'examples/ml-serving-insecure', '--format', 'json', '--fail-on', 'none']]);
  out.push(['netpol diff examples', ROOT, ['netpol', 'diff', 'examples/ml-serving-hardened', 'examples/ml-serving-insecure', '--format', 'json', '--fail-on', 'none']]);
  out.push(['scan dockerfile examples', ROOT, ['scan', 'dockerfile', 'examples/ml-serving-insecure/tf-serving-image', 'examples/ml-serving-hardened/tf-serving-image', '--format', 'json', '--fail-on', 'none']]);
  out.push(['scan model models', corpus, ['scan', 'model', 'models', '--format', 'json', '--fail-on', 'none']]);
  out.push(['scan model models-real', corpus, ['scan', 'model', 'models-real', '--format', 'json', '--fail-on', 'none']]);
  out.push(['audit rbac', corpus, ['audit', 'rbac', '--format', 'json', '--fail-on', 'none']]);
  for (const example of ['ml-serving-insecure', 'ml-serving-hardened']) {
    out.push([`harden examples/${example}`, ROOT, ['harden', `examples/${example}`, '--format', 'json', '--fail-on', 'none']]);
  }
  const events = join(corpus, 'audit-events');
  for (const dir of ['falcosecurity__falco', 'alcideio__rbac-tool', 'liggitt__audit2rbac']) {
    const files = readdirSync(join(events, dir)).filter((f) => /\.(json|jsonl|log)$/.test(f)).sort().map((f) => `${dir}/${f}`);
    out.push([`audit-log ${dir}`, events, ['audit-log', ...files, '--format', 'json', '--fail-on', 'none']]);
  }
  const reports = join(SHARED, 'fixtures/reports');
  for (const dir of ['trivy', 'grype', 'cyclonedx']) {
    const files = readdirSync(join(reports, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => `${dir}/${f}`);
    out.push([`scan report ${dir}`, reports, ['scan', 'report', ...files, '--format', 'json', '--fail-on', 'none']]);
  }
  const cases = readFileSync(join(NETPOL, 'cases.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
  for (const name of cases) {
    const cwd = join(NETPOL, name);
    out.push([`netpol matrix np-guard ${name}`, cwd, ['netpol', 'matrix', 'manifests', '--compat', 'np-guard', '--format', 'json', '--fail-on', 'none']]);
    out.push([`netpol matrix ${name}`, cwd, ['netpol', 'matrix', 'manifests', '--format', 'json', '--fail-on', 'none']]);
    out.push([`netpol lint ${name}`, cwd, ['netpol', 'lint', 'manifests', '--format', 'json', '--fail-on', 'none']]);
  }
  return out;
}

/**
 * The ids a report carries: findings' checkId and, in `scan model` reports, each file's finding
 * rules. They feed ids.json, the end-to-end cases the rule meta-test counts (test/rules/meta.test.ts).
 */
function reportIds(stdout) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return [];
  }
  const ids = (report.findings ?? []).map((f) => f.checkId);
  for (const file of report.files ?? []) for (const f of file.findings ?? []) ids.push(f.rule);
  return ids.filter((id) => typeof id === 'string');
}

/** Fields whose children are data, not the report's shape: control ids per framework, a value harden writes. */
const OPEN_FIELDS = new Set(['findings[].frameworks', 'results[].changes[].value']);

/** Every field path a JSON report carries (`findings[].location.line`), into `into`; docs/report.md must list each. */
function reportFields(stdout, into) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return;
  }
  const walk = (value, path) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, `${path}[]`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const field = path === '' ? key : `${path}.${key}`;
      into.add(field);
      if (!OPEN_FIELDS.has(field)) walk(child, field);
    }
  };
  walk(report, '');
}

/**
 * name → `<exit code> <sha256 of stdout> <sha256 of stderr>`; with `ids`, also id → the first
 * command line whose report carries it; with `fields` (a Set), every field path the reports carry.
 */
export async function snapshot({ dump, ids, fields } = {}) {
  const list = commands();
  const result = {};
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const [name, cwd, args] = list[next++];
      const { code, stdout, stderr } = await run(cwd, args);
      const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);
      result[name] = `${code} ${hash(stdout)} ${hash(stderr)}`;
      if (ids) for (const id of reportIds(stdout)) if (!ids[id] || name < ids[id]) ids[id] = name;
      if (fields) reportFields(stdout, fields);
      if (dump) {
        const file = join(dump, name.replace(/[^\w.-]+/g, '_'));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file + '.out', stdout);
        writeFileSync(file + '.err', stderr);
      }
    }
  };
  await worker();
  return Object.fromEntries(Object.keys(result).sort().map((k) => [k, result[k]]));
}

export const EXPECTED = join(ROOT, 'test/behaviour/expected.json');
/** id → the snapshot command line that reports it (written with --write, compared by the snapshot test). */
export const EXPECTED_IDS = join(ROOT, 'test/behaviour/ids.json');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dumpAt = process.argv.indexOf('--dump');
  const ids = {};
  const fields = new Set();
  const got = await snapshot({ ids, fields, ...(dumpAt > 0 ? { dump: process.argv[dumpAt + 1] } : {}) });
  const sortedIds = Object.fromEntries(Object.keys(ids).sort().map((k) => [k, ids[k]]));
  if (process.argv.includes('--write')) {
    writeFileSync(EXPECTED, JSON.stringify(got, null, 1) + '\n');
    writeFileSync(EXPECTED_IDS, JSON.stringify(sortedIds, null, 1) + '\n');
  } else if (process.argv.includes('--with-ids')) process.stdout.write(JSON.stringify({ hashes: got, ids: sortedIds, fields: [...fields].sort() }) + '\n');
  else process.stdout.write(JSON.stringify(got, null, 1) + '\n');
}

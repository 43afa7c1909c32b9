#!/usr/bin/env node
/**
 * Copies the labelled test fixtures of the security checks palisade maps to (test/rules/peers/mapping.json)
 * from a peer's repository into test/fixtures/<peer>/cases.json, with the peer's LICENSE beside it. Run from
 * the repository root with the peer and the path of its git directory (`git --git-dir … show HEAD:path`):
 *
 *   node scripts/peer-fixtures.mjs polaris <polaris git dir>
 *   node scripts/peer-fixtures.mjs kube-linter <kube-linter git dir>
 *   node scripts/peer-fixtures.mjs kube-score <kube-score git dir>
 *   node scripts/peer-fixtures.mjs checkov <checkov git dir>
 *
 * Where each peer keeps its labels:
 * - Polaris: test/checks/<check>/{success,failure}*.yaml, one verdict per file.
 * - kube-linter: tests/checks/<check>.yml holds objects that fire and objects named `dont-fire…`;
 *   e2etests/bats-tests.sh names the kinds reported (`Kind: message`) and their count. Objects of the
 *   reported kinds are the cases: `dont-fire…` passes, any other name fails; objects of other kinds
 *   (a NetworkPolicy, the Role a binding names) are context. A binding case notes the index of the
 *   role it names, since palisade reports a grant on the role with the subject named.
 * - kube-score: score/testdata/*.yaml, with the grade expected per check in score/**_test.go
 *   (`testExpectedScore(t, "file", "Check", scorecard.GradeX)` and the …WithConfig form);
 *   Critical and Warning mean fail, AllOK means pass.
 * - checkov: tests/kubernetes/checks/example_<Check>/ with FAILED or PASSED in the file name; a file
 *   with both or neither is left out (listed on stderr).
 * Peer checks found in neither `mapped` nor `unmapped` are listed on stderr so the table stays whole.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const [peer, repo] = process.argv.slice(2);
const MAPPING = JSON.parse(readFileSync('test/rules/peers/mapping.json', 'utf8'));
if (!peer || !repo || !MAPPING[peer]) {
  console.error(`usage: peer-fixtures.mjs <${Object.keys(MAPPING).filter((k) => !k.startsWith('$')).join('|')}> <git dir>`);
  process.exit(2);
}
const table = MAPPING[peer];
const git = (...args) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', 'HEAD').trim();
const ls = (dir) => git('ls-tree', '-r', '--name-only', 'HEAD', '--', dir).split('\n').filter(Boolean);
const show = (path) => git('show', `HEAD:${path}`);

const files = {};
const cases = [];
const seenChecks = new Set();
const add = (check, file, expect, name, object) => {
  if (!(file in files)) files[file] = show(file);
  cases.push({ check, file, ...(object ? { object } : {}), expect, name });
};

function polaris() {
  for (const path of ls('test/checks')) {
    const m = /^test\/checks\/([^/]+)\/(success|failure)[^/]*\.ya?ml$/.exec(path);
    if (!m) continue;
    seenChecks.add(m[1]);
    if (table.mapped[m[1]]) add(m[1], path, m[2] === 'failure' ? 'fail' : 'pass', path.split('/').pop());
  }
}

/** Objects of a multi-document YAML file: kind and metadata.name, read line-wise (top-level keys only). */
function objectsOf(text) {
  const unquote = (s) => s?.replace(/^["']|["']$/g, '');
  return text.split(/^---\s*$/m).flatMap((doc) => {
    const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1];
    const name = unquote(/^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*(\S+)/m.exec(doc)?.[1]);
    const roleRef = /^roleRef:\s*\n((?:[ \t]+.*\n?)*)/m.exec(doc)?.[1];
    const ref = roleRef ? { kind: /kind:\s*(\S+)/.exec(roleRef)?.[1], name: unquote(/name:\s*(\S+)/.exec(roleRef)?.[1]) } : undefined;
    return kind && name ? [{ kind, name, ...(ref ? { roleRef: ref } : {}) }] : [];
  });
}

const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);

/** The index of the role a binding names, when the file holds it. */
function roleIndex(objects, object) {
  if (!BINDINGS.has(object.kind) || !object.roleRef) return {};
  const i = objects.findIndex((o) => o.kind === object.roleRef.kind && o.name === object.roleRef.name);
  return i < 0 ? {} : { role: i };
}

function kubeLinter() {
  const bats = show('e2etests/bats-tests.sh');
  for (const path of ls('tests/checks')) {
    const m = /^tests\/checks\/([^/]+)\.ya?ml$/.exec(path);
    if (!m) continue;
    const check = m[1];
    seenChecks.add(check);
    if (!table.mapped[check]) continue;
    const block = new RegExp(`@test "${check}" \\{([\\s\\S]*?)\\n\\}`).exec(bats)?.[1];
    if (!block) throw new Error(`${check}: no bats test`);
    const kinds = new Set([...block.matchAll(/==\s*"(\w+): /g)].map((k) => k[1]));
    const count = Number(/count\}" == "(\d+)"/.exec(block)?.[1]);
    const objects = objectsOf(show(path));
    // a reviewed label list where names and kinds cannot tell the objects apart
    const labels = table.mapped[check].objectLabels?.labels;
    if (labels && labels.length !== objects.length) throw new Error(`${check}: ${labels.length} labels for ${objects.length} objects`);
    let failing = 0;
    for (const [i, object] of objects.entries()) {
      // objects of kinds the check never reports (a NetworkPolicy, the Role a binding names) are context, not cases
      if (!labels && !kinds.has(object.kind)) continue;
      const fail = labels ? labels[i] === 'fail' : !/^dont-fire/.test(object.name);
      failing += fail ? 1 : 0;
      add(check, path, fail ? 'fail' : 'pass', `${object.kind}/${object.name}${objects.filter((o) => o.kind === object.kind && o.name === object.name).length > 1 ? ` #${i + 1}` : ''}`, { kind: object.kind, name: object.name, index: i, ...roleIndex(objects, object) });
    }
    // kube-linter counts reports (one per container); a failing object yields at least one
    if (failing === 0 || failing > count) console.error(`kube-linter ${check}: ${failing} failing objects for ${count} reports: review`);
  }
}

function kubeScore() {
  const tests = ls('score').filter((p) => p.endsWith('_test.go'));
  const testdata = new Set(ls('score/testdata'));
  for (const path of tests) {
    const text = show(path);
    for (const call of text.matchAll(/(?<!func )testExpectedScore(?:WithConfig)?\(([\s\S]*?scorecard\.Grade(\w+))\)/g)) {
      const body = call[1];
      const grade = call[2];
      const strings = [...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1]);
      const check = strings.at(-1);
      const yamls = strings.filter((s) => /\.ya?ml$/.test(s));
      if (!check || yamls.length === 0) continue;
      seenChecks.add(check);
      if (!table.mapped[check]) continue;
      const expect = grade === 'AllOK' ? 'pass' : grade === 'Critical' || grade === 'Warning' ? 'fail' : undefined;
      if (!expect) {
        console.error(`kube-score ${check} ${yamls.join(',')}: grade ${grade} left out`);
        continue;
      }
      // several files in one call are read together, like kube-score's test does
      const missing = yamls.filter((y) => !testdata.has(`score/testdata/${y}`));
      if (missing.length > 0) throw new Error(`${path}: no testdata ${missing.join(', ')}`);
      for (const y of yamls) if (!(`score/testdata/${y}` in files)) files[`score/testdata/${y}`] = show(`score/testdata/${y}`);
      const func = [...text.slice(0, call.index).matchAll(/func (\w+)\(t \*testing\.T\)/g)].at(-1)?.[1] ?? '?';
      cases.push({ check, files: yamls.map((y) => `score/testdata/${y}`), expect, name: `${func} (${yamls.join(', ')})` });
    }
  }
}

function checkov() {
  const patterns = (table.unmappedPatterns ?? []).map((p) => new RegExp(p.pattern));
  for (const path of ls('tests/kubernetes/checks')) {
    const m = /^tests\/kubernetes\/checks\/example_([^/]+)\/([^/]+\.(?:ya?ml|json))$/.exec(path);
    if (!m) continue;
    const [, check, base] = m;
    seenChecks.add(check);
    if (!table.mapped[check] || patterns.some((p) => p.test(check))) continue;
    const fail = /fail/i.test(base);
    const pass = /pass/i.test(base);
    if (fail === pass) {
      console.error(`checkov ${check}/${base}: no single PASSED or FAILED in the name, left out`);
      continue;
    }
    add(check, path, fail ? 'fail' : 'pass', base);
  }
  for (const check of [...seenChecks]) if (patterns.some((p) => p.test(check))) seenChecks.delete(check);
}

({ polaris, 'kube-linter': kubeLinter, 'kube-score': kubeScore, checkov })[peer]();

for (const check of seenChecks) if (!table.mapped[check] && !table.unmapped[check]) console.error(`${peer}: ${check} is neither mapped nor unmapped`);
for (const check of Object.keys(table.mapped)) if (!cases.some((c) => c.check === check)) console.error(`${peer}: mapped ${check} has no fixture`);

const dir = `test/fixtures/${peer}`;
mkdirSync(dir, { recursive: true });
const license = show('LICENSE');
writeFileSync(`${dir}/LICENSE`, license);
const out = {
  source: table.source,
  commit,
  license: `${/MIT License/.test(license) ? 'MIT' : /Apache License[\s\S]*Version 2\.0/.test(license) ? 'Apache-2.0' : 'see LICENSE'} (${peer}; LICENSE beside this file); test inputs copied for evaluation, not shipped in the package`,
  generatedBy: 'scripts/peer-fixtures.mjs',
  files,
  cases,
};
writeFileSync(`${dir}/cases.json`, JSON.stringify(out, null, 1) + '\n');
console.error(`${peer}: ${cases.length} cases (${cases.filter((c) => c.expect === 'fail').length} should fail) from ${Object.keys(files).length} files at ${commit}`);

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/shared.js';

// Start-up of a small command is the modules it loads (issue 23: `scan model` of one tiny file
// ≤ 2× a bare node). An ESM loader hook lists every module the CLI loads; the engines and heavy
// dependencies a command never needs must stay out of that list.
const dir = mkdtempSync(join(tmpdir(), 'palisade-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const log = join(dir, 'loaded.txt');
writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);

/** The modules (paths under the repo, or package names) one CLI run loads, and its exit status. */
function loaded(args: string[]): { status: number | null; stdout: string; modules: string[] } {
  writeFileSync(log, '');
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const root = pathToFileURL(ROOT).href.replace(/\/?$/, '/');
  const modules = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith(root))
    .map((url) => url.slice(root.length).replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'package:$1'));
  return { status: run.status, stdout: run.stdout, modules: [...new Set(modules)] };
}

/**
 * Engines, tables, dependencies and other scan subcommands that have nothing to do with one model file,
 * nor the metadata of each model rule (a scan takes verdicts and messages from policy/ruleOutcomes.ts).
 */
const NOT_FOR_A_MODEL_SCAN = [/^dist\/(audit|checks|rbac|auditlog|netpol|pss|verify|harden|admission|workloads|knowledge)\//, /^dist\/cli\/(scan-image|scan-dockerfile|scan-report|cluster)\.js$/, /^dist\/scan\/model\/rules\/(?!model|verdictRules)/, /^dist\/report\/(html|sarif|policyreport|junit|github)/, /^package:(zod|yaml|@huggingface\/jinja|@sigstore\/.*|@cyclonedx\/.*|7z-wasm)$/];

/** Readers of formats other than pickle (and what they pull in): a pickle scan needs none of them. */
const OTHER_FORMATS = /^dist\/scan\/model\/formats\/(zip|gguf|keras|onnx|protobuf|tensorflow|tfOps|sevenZip|torchscript|numpy|pyLiteral|safetensors|lz4)\.js$|^package:(fflate|jsfive|@huggingface\/jinja|7z-wasm)$/;

describe('start-up: a command loads only what it runs', () => {
  it('scan model of one small pickle loads the model scanner and the text reporter, nothing else', () => {
    const file = join(dir, 'tiny.pkl');
    writeFileSync(file, Buffer.from([0x80, 0x04, 0x4b, 0x01, 0x2e])); // PROTO 4, BININT1 1, STOP
    const run = loaded(['scan', 'model', file, '--format', 'text']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no findings');
    expect(run.modules).toContain('dist/scan/model/pickle/vm.js');
    expect(run.modules).toContain('dist/report/text.js');
    expect(run.modules.filter((m) => NOT_FOR_A_MODEL_SCAN.some((pattern) => pattern.test(m)))).toEqual([]);
    // Nor the readers of formats the file is not: they load when a file turns out to be one.
    expect(run.modules.filter((m) => OTHER_FORMATS.test(m))).toEqual([]);
  });

  it('scan model of a torch zip loads the zip reader and the TorchScript tables it needs', () => {
    const file = join(dir, 'model.pt');
    const pickle = Buffer.from([0x80, 0x02, 0x7d, 0x2e]); // PROTO 2, EMPTY_DICT, STOP
    const name = Buffer.from('archive/data.pkl');
    // flags, method, time, date, crc (12 bytes, all 0: stored), sizes, name length, extra length
    const common = Buffer.alloc(24);
    common.writeUInt32LE(pickle.length, 12);
    common.writeUInt32LE(pickle.length, 16);
    common.writeUInt16LE(name.length, 20);
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0]), common, name, pickle]);
    // then comment length, disk, attributes, local header offset (0)
    const central = Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0]), common, Buffer.alloc(14), name]);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(local.length, 16);
    writeFileSync(file, Buffer.concat([local, central, end]));
    const run = loaded(['scan', 'model', file, '--format', 'json']);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { files: Array<{ format: string; verdict: string }> }).files.map((f) => [f.format, f.verdict])).toEqual([['pytorch-zip', 'safe']]);
    expect(run.modules.filter((m) => OTHER_FORMATS.test(m)).sort()).toEqual(['dist/scan/model/formats/torchscript.js', 'dist/scan/model/formats/zip.js', 'package:fflate']);
  });

  it('the formats that show check metadata still get it: SARIF names the rule it found', () => {
    const file = join(dir, 'evil.pkl');
    writeFileSync(file, Buffer.from("cos\nsystem\n(S'echo 1'\ntR.", 'latin1'));
    const run = loaded(['scan', 'model', file, '--format', 'sarif']);
    expect(run.status).toBe(1);
    expect(run.modules).toContain('dist/audit/catalogue.js');
    const rules = (JSON.parse(run.stdout) as { runs: { tool: { driver: { rules: { id: string; fullDescription?: { text: string } }[] } } }[] }).runs[0]!.tool.driver.rules;
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((rule) => (rule.fullDescription?.text ?? '').length > 0)).toBe(true);
  });

  it('netpol matrix of plain NetworkPolicies loads the model and the matrix, not the intents parser (zod) nor the mesh layers', () => {
    const file = join(dir, 'plain.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'p' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'a' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    ] }));
    for (const compat of [['--compat', 'np-guard'], []]) {
      const run = loaded(['netpol', 'matrix', file, ...compat]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(compat.length > 0 ? 'a/p[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections' : 'a/p[Pod] => 0.0.0.0/0 : All Connections');
      expect(run.modules).toContain('dist/netpol/eval/engine.js');
      expect(run.modules.filter((m) => /^package:zod$|^dist\/netpol\/(intents\.js|layers\/matrix|calico|istio|cilium|lint|verify|generate)/.test(m))).toEqual([]);
    }
  });

  it('netpol explain on plain NetworkPolicies does not load the mesh layers to find out there are none', () => {
    const file = join(dir, 'explain.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'p' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: 'a', labels: { app: 'q' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
    ] }));
    const run = loaded(['netpol', 'explain', file, '--from', 'a/p', '--to', 'a/q']);
    expect(run.status).toBe(0);
    expect(run.modules.filter((m) => /^dist\/netpol\/(layers\/(?!kinds)|calico|istio|cilium)/.test(m))).toEqual([]);
  });

  it('--version loads nothing but the entry point, the command table and the version', () => {
    const run = loaded(['--version']);
    expect(run.status).toBe(0);
    expect(run.modules.sort()).toEqual(['dist/cli/commands.js', 'dist/cli/main.js', 'dist/core/version.js']);
  });
});

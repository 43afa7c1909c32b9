import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSyscallRules, type SyscallEvent } from '../../src/auditlog/index.js';
import { exportFalco, type FalcoRuleKind, type FalcoWorkload } from '../../src/export/index.js';
import { ROOT } from '../helpers/shared.js';

/**
 * `palisade export falco`: the generated rules load with palisade's own Falco rule loader against
 * Falco's documented syscall fields, carry a priority and MITRE ATT&CK + ATLAS tags, and each rule
 * fires on a synthetic event of what it detects and stays silent on its benign twin.
 */

type Plain = Record<string, unknown>;

function objectsIn(dir: string): Plain[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Plain))
    .filter((o) => o !== null && typeof o === 'object');
}

const hardened = exportFalco(objectsIn(join(ROOT, 'examples/ml-serving-hardened')));
const insecure = exportFalco(objectsIn(join(ROOT, 'examples/ml-serving-insecure')));

/** The container a workload's events come from: its identity (pod labels, or image) and namespace. */
function base(w: FalcoWorkload): Record<string, string> {
  const event: Record<string, string> = { 'container.id': '3ad7b26ded6d', 'container.name': 'main', 'k8s.ns.name': w.namespace, 'k8s.pod.name': `${w.name}-0`, 'proc.cmdline': 'x', 'proc.pname': 'python3', 'user.name': 'root', 'evt.rawres': '0', 'evt.res': 'SUCCESS' };
  for (const [k, v] of Object.entries(w.labels)) event[`k8s.pod.label[${k}]`] = v;
  if (w.images[0]) event['container.image.repository'] = w.images[0];
  return event;
}

const exec = (proc: string): Record<string, string> => ({ 'evt.type': 'execve', 'evt.dir': '<', 'proc.name': proc });
const open = (file: string, mode: 'read' | 'write', proc: string): Record<string, string> => ({ 'evt.type': 'openat', 'evt.dir': '<', 'fd.typechar': 'f', 'fd.num': '7', 'fd.name': file, 'evt.is_open_read': String(mode === 'read'), 'evt.is_open_write': String(mode === 'write'), 'proc.name': proc });
const connect = (ip: string, port: number): Record<string, string> => ({ 'evt.type': 'connect', 'evt.dir': '<', 'fd.typechar': '4', 'fd.sip': ip, 'fd.sport': String(port), 'fd.name': `10.1.2.3:41000->${ip}:${port}`, 'proc.name': 'python3' });

/** One event the rule must fire on, one it must not, per kind of rule. */
function events(kind: FalcoRuleKind, w: FalcoWorkload): { fire: SyscallEvent; quiet: SyscallEvent } {
  const own = w.processes.find((p) => !['tini', 'dumb-init'].includes(p)) ?? 'python3';
  const b = base(w);
  const model = `${w.modelDirs[0] ?? '/nonexistent-palisade-model-dir'}/model.joblib`;
  const allowed = w.egress?.[0];
  switch (kind) {
    case 'shell':
      return { fire: { ...b, ...exec('bash') }, quiet: { ...b, ...exec(own) } };
    case 'unexpectedProcess':
      return { fire: { ...b, ...exec('nc') }, quiet: { ...b, ...exec(own) } };
    case 'outbound': {
      const port = allowed?.ports.find((p): p is number => typeof p === 'number') ?? 443;
      // An address inside the first allowed network (its network address with .9 as the last octet), or loopback.
      const net = allowed?.nets.find((n) => !n.includes(':'));
      const quietIp = net ? [...net.split('/')[0]!.split('.').slice(0, 3), '9'].join('.') : '127.0.0.1';
      return { fire: { ...b, ...connect('203.0.113.9', 4444) }, quiet: { ...b, ...connect(quietIp, port) } };
    }
    case 'listen':
      return { fire: { ...b, 'evt.type': 'listen', 'evt.dir': '<', 'fd.sport': '31337', 'proc.name': 'python3' }, quiet: { ...b, 'evt.type': 'listen', 'evt.dir': '<', 'fd.sport': String(w.ports[0]), 'proc.name': own } };
    case 'modelRead':
      return { fire: { ...b, ...open(model, 'read', 'cat') }, quiet: { ...b, ...open(model, 'read', own) } };
    case 'modelWrite':
      return { fire: { ...b, ...open(model, 'write', 'python3') }, quiet: { ...b, ...open('/tmp/scratch.bin', 'write', 'python3') } };
    case 'packageManager':
      return { fire: { ...b, ...exec('pip') }, quiet: { ...b, ...exec(own) } };
    case 'cloudCredentials':
      return { fire: { ...b, ...open('/root/.aws/credentials', 'read', 'python3') }, quiet: { ...b, ...open('/etc/hosts', 'read', 'python3') } };
  }
}

describe('palisade export falco', () => {
  for (const [name, out] of [['hardened', hardened], ['insecure', insecure]] as const) {
    it(`${name} example: loads with palisade's Falco loader (syscall fields), priorities and MITRE/ATLAS tags on every rule`, () => {
      const loaded = loadSyscallRules([{ name: 'palisade-falco.yaml', text: out.text }]);
      expect(loaded.errors.map((e) => e.message)).toEqual([]);
      expect(loaded.warnings.map((e) => e.message)).toEqual([]);
      expect(loaded.rules.map((r) => r.name)).toEqual(out.rules.map((r) => r.rule));
      for (const rule of loaded.rules) {
        expect(rule.source).toBe('syscall');
        expect(rule.tags.some((t) => /^T\d{4}(\.\d{3})?$/.test(t))).toBe(true);
        expect(rule.tags.some((t) => /^AML\.T\d{4}/.test(t))).toBe(true);
        expect(rule.tags.some((t) => t.startsWith('mitre_'))).toBe(true);
      }
    });

    it(`${name} example: every rule fires on its event and not on the benign twin`, () => {
      const loaded = loadSyscallRules([{ name: 'palisade-falco.yaml', text: out.text }]);
      const ctx = loaded.context();
      let checked = 0;
      for (const info of out.rules) {
        const rule = loaded.rules.find((r) => r.name === info.rule)!;
        const workload = out.workloads.find((w) => `${w.kind}/${w.namespace}/${w.name}` === info.workload)!;
        const { fire, quiet } = events(info.kind, workload);
        ctx.reset(fire);
        expect([info.rule, rule.condition(ctx)]).toEqual([info.rule, true]);
        ctx.reset(quiet);
        expect([info.rule, rule.condition(ctx)]).toEqual([info.rule, false]);
        // Another namespace's container is never this workload's.
        ctx.reset({ ...fire, 'k8s.ns.name': 'elsewhere' });
        expect([info.rule, rule.condition(ctx)]).toEqual([info.rule, false]);
        checked++;
      }
      expect(checked).toBe(out.rules.length);
    });
  }

  it('finds the ML workloads of the example with their knowledge', () => {
    expect(hardened.workloads.map((w) => [w.kind, w.name, w.role, w.servers.join(',')])).toEqual([
      ['InferenceService', 'fraud-sklearn', 'inference', 'kserve-python'],
      ['Notebook', 'research', 'workspace', 'jupyter'],
      ['RayCluster', 'batch-inference', 'distributed', 'ray'],
      ['Deployment', 'tf-serving', 'inference', 'tfserving'],
    ]);
    const tf = hardened.workloads.find((w) => w.name === 'tf-serving')!;
    expect([tf.labels, tf.ports, tf.modelDirs, tf.processes.includes('tensorflow_model_server')]).toEqual([{ app: 'tf-serving' }, [8500, 8501], ['/models'], true]);
    const isvc = hardened.workloads.find((w) => w.name === 'fraud-sklearn')!;
    expect([isvc.labels, isvc.modelDirs]).toEqual([{ 'serving.kserve.io/inferenceservice': 'fraud-sklearn' }, ['/mnt/models']]);
    const notebook = hardened.workloads.find((w) => w.kind === 'Notebook')!;
    expect(hardened.rules.filter((r) => r.workload === `Notebook/${notebook.namespace}/research`).map((r) => r.kind)).toEqual(['outbound', 'listen', 'cloudCredentials']);
    expect(hardened.text).toContain('falco -r');
  });

  it('egress comes from the NetworkPolicies: the hardened stack allows DNS and Redis; without policies the outbound rule is off', () => {
    const tf = hardened.workloads.find((w) => w.name === 'tf-serving')!;
    expect(tf.egress?.map((e) => e.ports)).toEqual([[53, 53], [6379]]);
    expect(hardened.rules.filter((r) => r.kind === 'outbound').every((r) => r.enabled)).toBe(true);
    expect(insecure.workloads.every((w) => w.egress === undefined)).toBe(true);
    expect(insecure.rules.filter((r) => r.kind === 'outbound').map((r) => r.enabled)).toEqual(insecure.workloads.map(() => false));
  });

  it('an input without ML workloads gives a file that loads and has no rules', () => {
    const out = exportFalco([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
    const loaded = loadSyscallRules([{ name: 'empty.yaml', text: out.text }]);
    expect([out.workloads, loaded.rules, loaded.errors]).toEqual([[], [], []]);
  });
});

describe('syscall fields in the Falco filter engine', () => {
  const load = (condition: string) => loadSyscallRules([{ name: 't.yaml', text: `- rule: t\n  desc: t\n  condition: ${condition}\n  output: "x %proc.name"\n  priority: WARNING\n` }]);
  const run = (condition: string, event: SyscallEvent): boolean => {
    const loaded = load(condition);
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    const ctx = loaded.context();
    ctx.reset(event);
    return loaded.rules[0]!.condition(ctx);
  };

  it('compares numbers as numbers and addresses against networks', () => {
    expect(run('fd.sport >= 1024', { 'fd.sport': '8080' })).toBe(true);
    expect(run('fd.sport >= 1024', { 'fd.sport': '443' })).toBe(false);
    expect(run('evt.rawres >= 0', { 'evt.rawres': '-115' })).toBe(false);
    expect(run('fd.snet in ("10.0.0.0/8", "fd00::/8")', { 'fd.sip': '10.42.0.7' })).toBe(true);
    expect(run('fd.snet in ("10.0.0.0/8", "fd00::/8")', { 'fd.sip': 'fd00::1' })).toBe(true);
    expect(run('fd.snet in ("10.0.0.0/8")', { 'fd.sip': '11.0.0.1' })).toBe(false);
    expect(run('fd.net = "192.168.0.0/16"', { 'fd.cip': '192.168.1.1', 'fd.sip': '8.8.8.8' })).toBe(true);
  });

  it('refuses fields Falco does not document and bad operands, with the position', () => {
    expect(load('proc.nmae = bash').errors.map((e) => e.message)).toEqual(["rule 't': nonexistent field 'proc.nmae'"]);
    expect(load('fd.snet in (10.0.0.0/33)').errors).toHaveLength(1);
    expect(load('fd.sport > eighty').errors).toHaveLength(1);
  });
});

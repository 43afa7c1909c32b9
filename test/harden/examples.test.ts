import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { hardenText } from '../../src/harden/index.js';
import { findPodSpecs } from '../../src/workloads/index.js';
import { ROOT } from '../helpers/shared.js';
import { verdicts } from './helpers.js';

/**
 * examples/ml-serving-insecure hardened: restricted passes except the listed blockers, and the
 * workloads keep their containers, commands, ports and volumes (plus the added ones), as
 * examples/ml-serving-hardened does.
 */
const INSECURE = join(ROOT, 'examples/ml-serving-insecure');
const HARDENED = join(ROOT, 'examples/ml-serving-hardened');

/** What each file keeps failing at restricted after harden, and why: all "needs a human". */
const EXPECTED_BLOCKERS: Record<string, string[]> = {
  'gateway.yaml': ['/spec/template/spec hostPorts /spec/template/spec/containers/0/ports/0/hostPort'],
  'kserve-sklearn.yaml': [],
  'namespace.yaml': [],
  'notebook.yaml': ['/spec/template/spec runAsUser /spec/template/spec/containers/0/securityContext/runAsUser', '/spec/template/spec runAsNonRoot /spec/template/spec/containers/0/securityContext/runAsUser'],
  'ray-cluster.yaml': [
    '/spec/workerGroupSpecs/0/template/spec privileged /spec/workerGroupSpecs/0/template/spec/containers/0/securityContext/privileged',
    '/spec/workerGroupSpecs/0/template/spec allowPrivilegeEscalation /spec/workerGroupSpecs/0/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
    '/spec/workerGroupSpecs/0/template/spec hostNamespaces /spec/workerGroupSpecs/0/template/spec/hostIPC',
  ],
  'redis.yaml': [],
  'tf-serving.yaml': ['/spec/template/spec restrictedVolumes /spec/template/spec/volumes/0/hostPath'],
};

interface Shape {
  containers: Array<{ name: string; command: unknown; args: unknown; ports: unknown[] }>;
  volumes: string[];
}

function shapes(path: string, text: string): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const resource of loadText(path, text).resources) {
    for (const ref of findPodSpecs(resource.object)) {
      const volumes = Array.isArray(ref.spec.volumes) ? (ref.spec.volumes as Array<{ name: string }>).map((v) => v.name) : [];
      const containers = ref.containers.map((c) => ({ name: c.name, command: c.object.command, args: c.object.args, ports: ((c.object.ports as Array<{ containerPort: number }> | undefined) ?? []).map((p) => p.containerPort) }));
      out.set(`${resource.ref.kind}/${resource.ref.name}${ref.podSpecPath}`, { containers, volumes });
    }
  }
  return out;
}

describe('examples/ml-serving-insecure hardened', () => {
  // The manifests; tf-serving-image/ holds the Dockerfile, which harden reads only as a precondition.
  const files = readdirSync(INSECURE).filter((f) => /\.ya?ml$/.test(f)).sort();
  it('covers every example file', () => {
    expect(files).toEqual(Object.keys(EXPECTED_BLOCKERS).sort());
  });

  for (const file of files) {
    it(file, () => {
      const text = readFileSync(join(INSECURE, file), 'utf8');
      const hardened = hardenText(file, text);
      const blockers = hardened.results.flatMap((r) => r.blockers.map((b) => `${r.podSpecPath} ${b.check} ${b.pointer}`));
      expect(blockers).toEqual(EXPECTED_BLOCKERS[file]);
      const blockedChecks = new Set(hardened.results.flatMap((r) => r.blockers.map((b) => `${r.podSpecPath} ${b.check}`)));
      for (const verdict of verdicts(file, hardened.text)) {
        expect(verdict.violated.filter((c) => !blockedChecks.has(`${verdict.podSpecPath} ${c}`))).toEqual([]);
      }
      // Same containers, commands and ports; the volumes of the input plus the added ones.
      const before = shapes(file, text);
      const after = shapes(file, hardened.text);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [key, shape] of before) {
        const now = after.get(key)!;
        expect(now.containers).toEqual(shape.containers);
        expect(now.volumes.slice(0, shape.volumes.length)).toEqual(shape.volumes);
      }
      // The hand-hardened example runs the same containers in the same workloads.
      const reference = shapes(file, readFileSync(join(HARDENED, file), 'utf8'));
      for (const [key, shape] of after) expect(reference.get(key)?.containers.map((c) => c.name), key).toEqual(shape.containers.map((c) => c.name));
    });
  }
});

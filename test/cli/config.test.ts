import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { PalisadeError } from '../../src/core/errors.js';
import { palisade } from '../helpers/cli.js';

/** A pod that passes baseline but not restricted: no runAsNonRoot, seccomp, capabilities or allowPrivilegeEscalation. */
const baselinePod = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ml}
spec:
  containers:
  - name: app
    image: nginx:1.27
`;

interface Json {
  results: Array<{ level: string; version: string; allowed: boolean; policySource: string }>;
}

/** A project folder with a config at its top and the manifest two folders down. */
function project(config: string): { root: string; manifest: string } {
  const root = mkdtempSync(join(tmpdir(), 'palisade-config-'));
  writeFileSync(join(root, '.palisade.yaml'), config);
  mkdirSync(join(root, 'deploy', 'serving'), { recursive: true });
  const manifest = join(root, 'deploy', 'serving', 'pod.yaml');
  writeFileSync(manifest, baselinePod);
  return { root, manifest };
}

describe('.palisade.yaml', () => {
  it('is found upward from the input, and its pss defaults decide where no namespace label does', () => {
    const { manifest } = project('pss:\n  level: baseline\n  version: v1.30\n');
    const run = palisade(['pss', manifest, '--format', 'json']);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Json).results.map((r) => [r.level, r.version, r.allowed, r.policySource])).toEqual([['baseline', 'v1.30', true, 'config']]);
  });

  it('yields to --level and to namespace labels', () => {
    const { manifest, root } = project('pss: {level: baseline}\n');
    const flagged = JSON.parse(palisade(['pss', manifest, '--format', 'json', '--level', 'restricted', '--fail-on', 'none']).stdout) as Json;
    expect(flagged.results.map((r) => [r.level, r.allowed, r.policySource])).toEqual([['restricted', false, 'flag']]);
    const namespace = join(root, 'deploy', 'namespace.yaml');
    writeFileSync(namespace, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n');
    const labelled = JSON.parse(palisade(['pss', join(root, 'deploy'), '--format', 'json', '--fail-on', 'none']).stdout) as Json;
    expect(labelled.results.map((r) => [r.level, r.allowed, r.policySource])).toEqual([['restricted', false, 'namespace']]);
  });

  it('sets failOn unless --fail-on is typed', () => {
    const { manifest } = project('failOn: none\n');
    expect(palisade(['audit', manifest, '--format', 'json']).status).toBe(0);
    expect(palisade(['audit', manifest, '--format', 'json', '--fail-on', 'high']).status).toBe(1);
    const strict = project('failOn: low\n');
    expect(palisade(['pss', strict.manifest, '--format', 'json', '--level', 'baseline']).status).toBe(0);
    expect(palisade(['audit', strict.manifest, '--format', 'json', '--level', 'baseline']).status).toBe(1);
  });

  it('--config names the file; a bad one is an error at its line and column', () => {
    const { manifest, root } = project('failOn: none\n');
    const bad = join(root, 'bad.yaml');
    writeFileSync(bad, 'pss:\n  level: strict\n');
    const run = palisade(['pss', manifest, '--config', bad]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${bad}:2:10`);
    expect(run.stderr).toContain('config field pss.level');
  });

  it('rejects versions that are not v1.N or latest', () => {
    expect(() => parseConfig('c.yaml', 'pss: {version: "1.30"}\n')).toThrow(PalisadeError);
    expect(parseConfig('c.yaml', 'pss: {version: latest}\nfailOn: medium\n')).toMatchObject({ pss: { version: 'latest' }, failOn: 'medium' });
  });
});

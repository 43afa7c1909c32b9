import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';
import { SHARED } from '../helpers/shared.js';

const WHOCAN = join(SHARED, 'corpus/rbac/alcideio__rbac-tool');
const file = (name: string): string => join(WHOCAN, `testdata__whocan__${name}.yaml`);

describe('palisade rbac (as typed)', () => {
  it('who-can --format json: subjects with kind, name, namespace and grants with file:line', () => {
    const run = palisade(['rbac', 'who-can', 'create', 'pods', file('pod-creator'), '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { subjects: Array<{ kind: string; name: string; namespace?: string; grants: Array<Record<string, unknown>> }> };
    expect(report.subjects.map((s) => [s.kind, s.name, s.namespace])).toEqual([
      ['Group', 'system:masters', undefined],
      ['Group', 'test-pod-creator-group', undefined],
      ['ServiceAccount', 'test-pod-creator-sa', 'test'],
      ['User', 'test-pod-creator-user', undefined],
    ]);
    expect(report.subjects[2]!.grants).toEqual([
      {
        scope: 'test',
        binding: { kind: 'RoleBinding', name: 'pod-creator', namespace: 'test', location: { file: file('pod-creator'), line: 26, column: 1 } },
        role: { kind: 'Role', name: 'pod-creator', namespace: 'test' },
        rule: { index: 0, verbs: ['create', 'update'], apiGroups: [''], resources: ['pods'], resourceNames: [], nonResourceURLs: [], location: { file: file('pod-creator'), line: 21, column: 5 } },
      },
    ]);
  });

  it('who-can -n limits RoleBindings to that namespace', () => {
    const run = palisade(['rbac', 'who-can', 'create', 'pods', '-n', 'prod', file('pod-creator')]);
    expect(run.stdout).toBe('who can create pods (core) in namespace prod:\n  Group system:masters\n      implicit: system:masters bypasses RBAC\n');
  });

  it('can: exit 0 with the grant, exit 1 without', () => {
    const yes = palisade(['rbac', 'can', 'sa:test/test-secret-reader-sa', 'get', 'secrets', file('secret-reader')]);
    expect(yes.status).toBe(0);
    expect(yes.stdout).toBe(`yes: ServiceAccount test/test-secret-reader-sa may get secrets (core)\n  in test: RoleBinding test/read-secrets → ClusterRole test-secret-reader rules[0]  ${file('secret-reader')}:18\n`);
    const no = palisade(['rbac', 'can', 'sa:test/test-secret-reader-sa', 'get', 'secrets', '-n', 'kube-system', file('secret-reader')]);
    expect(no.status).toBe(1);
    expect(no.stdout).toBe('no: ServiceAccount test/test-secret-reader-sa may not get secrets (core) in namespace kube-system\n');
  });

  it('explain: the merged permissions of a ServiceAccount, its groups included', () => {
    const run = palisade(['rbac', 'explain', 'user:test-aggregate-user', file('clusterrole-aggregate'), '--format', 'json']);
    const report = JSON.parse(run.stdout) as { permissions: Array<{ scope: string; apiGroup: string; resource: string; verbs: string[] }> };
    expect(report.permissions.map((p) => [p.scope, p.apiGroup, p.resource, p.verbs])).toEqual([['*', '', 'pods', ['create', 'get', 'list', 'watch']]]);
  });

  it('a subject it cannot read is a usage error (exit 2)', () => {
    const run = palisade(['rbac', 'can', 'sa:nonamespace', 'get', 'pods', file('pod-creator')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot read subject "sa:nonamespace"');
  });
});

describe('palisade rbac paths and least-privilege', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-rbac-'));
  const manifests = join(dir, 'rbac.yaml');
  writeFileSync(
    manifests,
    `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: dev, namespace: ml}
rules:
- {apiGroups: [""], resources: [pods], verbs: [create, get, list]}
- {apiGroups: [""], resources: [configmaps], verbs: [delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: ml}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: dev}
subjects: [{kind: User, name: alice}, {kind: ServiceAccount, name: runner}]
`,
  );
  it('paths --format dot: alice creates a pod running as ml/runner and ml/default', () => {
    const run = palisade(['rbac', 'paths', 'user:alice', manifests, '--format', 'dot']);
    expect(run.stdout).toBe(
      [
        'digraph attack_paths {',
        '  rankdir=LR;',
        '  "User alice" [shape=box, style=bold];',
        '  "User alice" -> "ServiceAccount ml/default" [label="create a pod in ml that runs as default"];',
        '  "User alice" -> "ServiceAccount ml/runner" [label="create a pod in ml that runs as runner"];',
        '}',
        '',
      ].join('\n'),
    );
  });
  it('least-privilege: the Role of what the account used, what it lacks and what it never used', () => {
    const log = join(dir, 'events.jsonl');
    const event = (verb: string, objectRef: Record<string, string>) => JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', stage: 'ResponseComplete', user: { username: 'system:serviceaccount:ml:runner' }, verb, objectRef });
    writeFileSync(log, [event('list', { resource: 'pods', namespace: 'ml' }), event('get', { resource: 'pods', namespace: 'ml', name: 'p' }), event('get', { resource: 'secrets', namespace: 'ml', name: 's' }), JSON.stringify({ stage: 'RequestReceived', user: { username: 'system:serviceaccount:ml:runner' }, verb: 'delete', objectRef: { resource: 'pods', namespace: 'ml' } })].join('\n') + '\n');
    const run = palisade(['rbac', 'least-privilege', 'sa:ml/runner', manifests, '--audit-log', log, '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { roles: unknown[]; missing: unknown[]; unused: Array<{ resource: string; verbs: string[] }> };
    expect(report.roles).toEqual([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'runner-least-privilege', namespace: 'ml' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }]);
    expect(report.missing).toEqual([{ verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'ml' }]);
    expect(report.unused.map((p) => [p.resource, p.verbs])).toEqual([['configmaps', ['delete']], ['pods', ['create']]]);
  });
});

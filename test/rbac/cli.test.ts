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

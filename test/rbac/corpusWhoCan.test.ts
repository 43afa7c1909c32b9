import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, parseRequest, whoCan } from '../../src/rbac/index.js';
import { SHARED } from '../helpers/shared.js';

/**
 * rbac-tool's who-can fixtures (../shared/corpus/rbac/alcideio__rbac-tool), answered under strict
 * Kubernetes semantics. Upstream ran them against a live cluster and grepped for the file's own
 * subjects, so system:masters (which palisade always lists: it bypasses RBAC) is compared apart.
 */
const CORPUS = join(SHARED, 'corpus/rbac');
interface Case {
  case: string;
  tool: string;
  files: string[];
  queries?: string[];
  expected_subjects?: Array<{ kind: string; name: string; namespace?: string }>;
  strict_k8s?: { verdict: string; note: string };
}
const cases = (JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Case[]).filter((c) => c.tool === 'rbac-tool who-can');

/** Where strict semantics give another answer than the fixture's comment, and why. */
const STRICT: Record<string, { expected: string[]; why: string }> = {
  'alcideio__rbac-tool/testdata__whocan__gatewat-api-operator.yaml': {
    expected: [],
    why: 'the ClusterRole grants create/update/delete/patch on gateway.networking.k8s.io/*, never get: nobody in the file can get gateways',
  },
  'alcideio__rbac-tool/testdata__whocan__nonresourceurl-reader.yaml': {
    expected: [],
    why: 'nonResourceURLs are only honoured through a ClusterRoleBinding; the authorizer never consults RoleBindings for non-resource requests',
  },
};

const key = (s: { kind: string; name: string; namespace?: string }): string => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`;

describe('rbac-tool who-can cases (strict semantics)', () => {
  it('reads all five cases', () => expect(cases.map((c) => c.case.split('__').pop())).toEqual(['clusterrole-aggregate.yaml', 'gatewat-api-operator.yaml', 'nonresourceurl-reader.yaml', 'pod-creator.yaml', 'secret-reader.yaml']));
  for (const c of cases) {
    for (const query of c.queries ?? []) {
      it(`${c.case.split('__').pop()}: ${query}`, () => {
        const resources = c.files.flatMap((f) => loadText(f, readFileSync(join(CORPUS, f), 'utf8')).resources);
        const model = buildModel(resources);
        const [, verb, target] = query.split(' ');
        const answer = whoCan(model, { request: parseRequest(verb!, target!, model) });
        // system:masters: always there, never through a binding in these files.
        const masters = answer.filter((s) => s.subject.name === 'system:masters');
        expect(masters).toEqual([{ subject: { kind: 'Group', name: 'system:masters' }, implicit: 'system:masters', grants: [] }]);
        const found = answer.filter((s) => s.subject.name !== 'system:masters').map((s) => key(s.subject)).sort();
        const strict = STRICT[c.case];
        const upstream = (c.expected_subjects ?? []).filter((s) => s.name !== 'system:masters').map(key).sort();
        if (strict) {
          expect(c.strict_k8s?.verdict).toBe('DIVERGES');
          expect(found, strict.why).toEqual(strict.expected);
          expect(upstream).not.toEqual(strict.expected);
        } else {
          expect(found).toEqual(upstream);
        }
      });
    }
  }

  it('gateway subjects can do what the role does grant, in namespace test only', () => {
    const f = 'alcideio__rbac-tool/testdata__whocan__gatewat-api-operator.yaml';
    const model = buildModel(loadText(f, readFileSync(join(CORPUS, f), 'utf8')).resources);
    const inTest = whoCan(model, { request: parseRequest('patch', 'gateways', model), namespace: 'test' });
    expect(inTest.map((s) => key(s.subject))).toEqual(['Group:system:masters', 'ServiceAccount:test/gateway-network-operator-sa', 'User:gateway-network-operator-user']);
    const elsewhere = whoCan(model, { request: parseRequest('patch', 'gateways', model), namespace: 'prod' });
    expect(elsewhere.map((s) => key(s.subject))).toEqual(['Group:system:masters']);
  });

  it('the aggregated ClusterRole names the role each rule came from, with its line', () => {
    const f = 'alcideio__rbac-tool/testdata__whocan__clusterrole-aggregate.yaml';
    const model = buildModel(loadText(f, readFileSync(join(CORPUS, f), 'utf8')).resources);
    const user = whoCan(model, { request: parseRequest('get', 'pods', model) }).find((s) => s.subject.kind === 'User')!;
    expect(user.grants.map((g) => ({ binding: g.grant.binding.name, role: g.grant.role.id.name, from: g.rule.role.name, line: g.rule.location?.line, scope: g.grant.scope }))).toEqual([
      { binding: 'aggregate-pod-creator', role: 'test-aggregate', from: 'test-clusterrole-reader', line: 36, scope: undefined },
    ]);
  });
});

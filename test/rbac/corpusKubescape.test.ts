import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import type { Finding } from '../../src/core/types.js';
import { buildModel, RBAC_RULES, runRbacRules } from '../../src/rbac/index.js';
import { SHARED } from '../helpers/shared.js';

/**
 * Kubescape's regolibrary fixtures (../shared/corpus/rbac/kubescape__regolibrary): for each case and
 * each control it lists, the findings of palisade's rules mapped to that control (framework key
 * `kubescape`) name exactly the subjects (or objects) upstream expects, except where the index marks
 * the case `strict_k8s: DIVERGES`: there palisade answers as the API server does, and STRICT says why.
 */
const CORPUS = join(SHARED, 'corpus/rbac');
interface Expected {
  subject?: { kind: string; name: string; namespace?: string };
  objects?: Array<{ kind: string; name: string }>;
}
interface Case {
  case: string;
  tool: string;
  files: string[];
  controls: string[];
  expected_outcome: 'pass' | 'fail';
  expected_findings: Expected[];
  strict_k8s?: { verdict: string; note: string };
}
const cases = (JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Case[]).filter((c) => c.tool === 'kubescape');

/** Cases where Kubernetes authorizes otherwise: the strict answer per control, and why. */
const STRICT: Record<string, { why: string; expected: string[] }> = {
  'kubescape__regolibrary/exec-into-container-v1/clusterrole': { expected: [], why: '`pods/*` is a literal in Kubernetes RBAC (only `*` and `*`/exec are wildcards): dave cannot exec' },
  'kubescape__regolibrary/rule-can-access-proxy-subresource/clusterrole-rolebinding': { expected: [], why: 'nodes/proxy is cluster-scoped; a RoleBinding never authorizes it' },
  'kubescape__regolibrary/rule-can-approve-cert-signing-request/role-rolebinding': { expected: [], why: 'CSR approval is cluster-scoped; a Role bound in kube-system grants nothing there' },
  'kubescape__regolibrary/rule-can-create-pv/clusterrole-rolebinding': { expected: [], why: 'persistentvolumes are cluster-scoped; a RoleBinding grants nothing there' },
  'kubescape__regolibrary/rule-can-create-pv/role-rolebinding': { expected: [], why: 'a namespaced Role cannot grant cluster-scoped persistentvolumes' },
  'kubescape__regolibrary/rule-can-modify-admission-webhooks/clusterrole-rolebinding': { expected: [], why: 'webhook configurations are cluster-scoped; a RoleBinding grants nothing there' },
};

const subjectKey = (s: { kind: string; name: string; namespace?: string }): string => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
/** What a finding is about, as upstream keys it: the subject, or the object for workload and object controls. */
const findingKey = (f: Finding, objects: boolean): string => (objects ? `${f.resource!.kind}:${f.resource!.name}` : subjectKey(f.subject!));
const expectedKey = (e: Expected): string[] => (e.subject ? [subjectKey(e.subject)] : (e.objects ?? []).map((o) => `${o.kind}:${o.name}`));

function run(c: Case): Finding[] {
  const resources = c.files.filter((f) => !f.endsWith('expected.json')).flatMap((f) => loadText(f, readFileSync(join(CORPUS, f), 'utf8')).resources);
  return runRbacRules(buildModel(resources), RBAC_RULES);
}

describe('Kubescape RBAC controls, per subject', () => {
  it('reads the 53 cases', () => expect(cases).toHaveLength(53));
  for (const c of cases) {
    for (const control of c.controls) {
      it(`${c.case.replace('kubescape__regolibrary/', '')} ${control}`, () => {
        const findings = run(c).filter((f) => f.frameworks?.kubescape?.includes(control));
        // Workload controls and object controls name objects; the rest name subjects. C-0232 names namespaces.
        const byObjects = c.expected_findings.some((e) => e.objects);
        const perNamespace = control === 'C-0232';
        const found = perNamespace ? findings.map((f) => f.resource!.namespace!).sort() : [...new Set(findings.map((f) => findingKey(f, byObjects)))].sort();
        const expected = perNamespace
          ? c.expected_findings.map((e) => /namespace '([^']+)'/.exec((e as { message?: string }).message ?? '')?.[1] ?? '').sort()
          : [...new Set(c.expected_findings.flatMap(expectedKey))].sort();
        const strict = STRICT[c.case];
        if (strict) {
          expect(c.strict_k8s?.verdict).toBe('DIVERGES');
          expect(found, strict.why).toEqual(strict.expected);
          expect(expected).not.toEqual(strict.expected);
        } else {
          expect(found).toEqual(expected);
          expect(found.length > 0).toBe(c.expected_outcome === 'fail');
        }
      });
    }
  }

  it('every Kubescape control the corpus exercises has a palisade rule', () => {
    const exercised = [...new Set(cases.flatMap((c) => c.controls))].sort();
    const mapped = new Set(RBAC_RULES.flatMap((r) => r.frameworks.kubescape ?? []));
    expect(exercised.filter((c) => !mapped.has(c))).toEqual([]);
  });
});

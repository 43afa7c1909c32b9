import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InventoryBuilder } from '../../src/audit/inventory.js';
import { CHECKS, type Check } from '../../src/checks/index.js';
import { podContext } from '../../src/checks/context.js';
import { loadText, type Resource } from '../../src/core/load.js';
import { COMMON_VARIABLES } from '../../src/export/policy.js';
import { postureVariable } from '../../src/export/posture.js';
import { exportPosture, POSTURE_NOT_EXPORTED, POSTURE_TRANSLATORS, postureExpression, re2, translateWorkloads, unaccountedPostureChecks, type CelVariable } from '../../src/export/index.js';
import { BUILTIN_WORKLOADS, findPodSpecs, WorkloadTable } from '../../src/workloads/index.js';
import type { ValidCase } from '../harness/checkTester.js';
import { ROOT, SHARED } from '../helpers/shared.js';
import { evaluate, evaluateVariables, withoutNulls } from './harness.js';

/**
 * The acceptance test of the posture export: every translated check's CEL (evaluated with
 * @bufbuild/cel, see harness.ts) decides finding / no finding exactly as the check itself does,
 * object by object, over the check's own test manifests (test/checks/<check>.test.ts, captured by
 * replacing testCheck) and over the ML manifest corpus and the bundled example stack.
 */

const captured = vi.hoisted(() => [] as Array<{ id: string; cases: Array<ValidCase & { params?: Record<string, unknown> }> }>);
vi.mock('../harness/checkTester.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../harness/checkTester.js')>()),
  testCheck: (check: Check, cases: { valid: ValidCase[]; invalid: ValidCase[] }) => captured.push({ id: check.meta.id, cases: [...cases.valid, ...cases.invalid] }),
}));

const TODAY = '2026-06-01';
const table = new WorkloadTable(BUILTIN_WORKLOADS);
const { podGroups, match } = translateWorkloads(BUILTIN_WORKLOADS, { views: true });
const VARIABLES: CelVariable[] = [...COMMON_VARIABLES, { name: 'podGroups', expression: podGroups }, { name: 'posture', expression: postureVariable('variables.podGroups') }];
const matchedKinds = new Set(match.map((m) => m.kind));

/** palisade's own decision: does the check report anything about this object (over the pod specs the export covers)? */
function ownFinding(check: Check, resource: Resource, params: unknown): boolean {
  const object = resource.object as Record<string, unknown>;
  const ref = resource.ref;
  const pods = findPodSpecs(object, table).filter((pod) => !pod.discovered && !pod.inherited);
  const contexts = pods.map((pod) => podContext(ref, object, pod));
  if (check.scope === 'pod') {
    const run = check.create(params as never);
    return contexts.some((context) => run(context).length > 0);
  }
  if (check.scope === 'resource') return check.create(params as never)({ ref, object, today: TODAY, pods: contexts }).length > 0;
  const builder = new InventoryBuilder(false);
  builder.add(resource, contexts);
  return check.create(params as never)(builder.inventory).length > 0;
}

/** The exported CEL's decision for the object admitted on TODAY (a CREATE: the server set creationTimestamp). */
function celFinding(id: string, object: Record<string, unknown>, params: Record<string, unknown>, cache: Map<string, Map<string, unknown>>): boolean {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const admitted = withoutNulls({ ...object, metadata: { ...metadata, creationTimestamp: `${TODAY}T12:00:00Z` } }) as Record<string, unknown>;
  const key = JSON.stringify(admitted);
  let variables = cache.get(key);
  if (!variables) {
    variables = evaluateVariables(VARIABLES, { object: admitted, request: { operation: 'CREATE' } });
    cache.set(key, variables);
  }
  return evaluate(postureExpression(id, params), { object: admitted, variables }) !== true;
}

/** Whether the export applies to the object at all (its kind is matched); other objects are outside the comparison. */
function exported(id: string, object: Record<string, unknown>): boolean {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return false;
  if (id === 'NAMESPACE_PSA_NOT_ENFORCED') return object.kind === 'Namespace' && object.apiVersion === 'v1';
  return matchedKinds.has(object.kind) && table.lookup(object.apiVersion, object.kind) !== undefined;
}

function paramsOf(check: Check, given?: Record<string, unknown>): Record<string, unknown> {
  return check.meta.params.parse({ ...(check.meta.defaultParams as object), ...(given ?? {}) }) as Record<string, unknown>;
}

describe('posture export: every check translated or listed', () => {
  it('every posture rule id is either translated or listed as not exported, never both', () => {
    expect(unaccountedPostureChecks()).toEqual([]);
    const listed = POSTURE_NOT_EXPORTED.map((n) => n.id);
    expect(listed.filter((id) => POSTURE_TRANSLATORS[id])).toEqual([]);
    for (const id of [...listed, ...Object.keys(POSTURE_TRANSLATORS)]) expect(CHECKS.map((c) => c.meta.id)).toContain(id);
    expect(Object.keys(POSTURE_TRANSLATORS).length + listed.length).toBe(CHECKS.length);
    for (const { reason } of POSTURE_NOT_EXPORTED) expect(reason.length).toBeGreaterThan(30);
  });

  it('JavaScript regexes become RE2 source: \\s widened to JavaScript\'s spaces, i as (?i), other flags refused', () => {
    expect(re2(/a\sb/i).startsWith('(?i)a[')).toBe(true);
    expect(evaluate(`'a\\u00a0b'.matches(${JSON.stringify(re2(/^a\sb$/))})`, {})).toBe(true);
    expect(evaluate(`'a\\u00a0b'.matches('^a\\\\sb$')`, {})).toBe(false);
    expect(() => re2(/x/g)).toThrow(/flags g/);
  });
});

describe("posture export agrees with each check over the check's test manifests", async () => {
  for (const file of readdirSync(join(ROOT, 'test/checks')).filter((f) => f.endsWith('.test.ts') && !['corpus', 'e2e', 'examples', 'meta'].some((n) => f.startsWith(`${n}.`)))) {
    await import(`../checks/${file.slice(0, -'.test.ts'.length)}.test.ts`);
  }

  it('captured the test cases of every posture check', () => {
    expect(captured.map((c) => c.id).sort()).toEqual(CHECKS.map((c) => c.meta.id).sort());
  });

  for (const id of Object.keys(POSTURE_TRANSLATORS).sort()) {
    it(id, () => {
      const check = CHECKS.find((c) => c.meta.id === id)!;
      const cases = captured.find((c) => c.id === id)!.cases;
      const cache = new Map<string, Map<string, unknown>>();
      const disagreements: string[] = [];
      let compared = 0;
      let findings = 0;
      for (const c of cases) {
        const params = paramsOf(check, c.params);
        for (const resource of loadText('case.yaml', c.yaml).resources) {
          const object = resource.object as Record<string, unknown>;
          if (!exported(id, object)) continue;
          const own = ownFinding(check, resource, params);
          const cel = celFinding(id, object, params, cache);
          compared++;
          if (own) findings++;
          if (own !== cel) disagreements.push(`${c.name} (${String(object.kind)}): palisade ${own ? 'finding' : 'none'}, CEL ${cel ? 'finding' : 'none'}`);
        }
      }
      expect(disagreements).toEqual([]);
      expect(compared).toBeGreaterThan(0);
      expect(findings).toBeGreaterThan(0);
      expect(findings).toBeLessThan(compared + (id === 'NAMESPACE_PSA_NOT_ENFORCED' ? 1 : 0));
    });
  }
});

describe('posture export agrees with each check over the ML manifest corpus and the example stack', () => {
  const objects: Array<{ file: string; resource: Resource }> = [];
  const corpus = join(SHARED, 'corpus/ml-manifests');
  const index = JSON.parse(readFileSync(join(corpus, 'index.json'), 'utf8')) as Array<{ file: string }>;
  const files = [...index.map(({ file }) => join(corpus, file)), ...readdirSync(join(ROOT, 'examples/ml-serving-insecure')).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(ROOT, 'examples/ml-serving-insecure', f))];
  for (const file of files) for (const resource of loadText(file, readFileSync(file, 'utf8')).resources) objects.push({ file, resource });

  it(`every translated check on the ${objects.length} documents`, () => {
    const cache = new Map<string, Map<string, unknown>>();
    const disagreements: string[] = [];
    const findings = new Map<string, number>();
    let compared = 0;
    for (const id of Object.keys(POSTURE_TRANSLATORS)) {
      const check = CHECKS.find((c) => c.meta.id === id)!;
      const params = paramsOf(check);
      for (const { file, resource } of objects) {
        const object = resource.object as Record<string, unknown>;
        if (!exported(id, object)) continue;
        const own = ownFinding(check, resource, params);
        const cel = celFinding(id, object, params, cache);
        compared++;
        if (own) findings.set(id, (findings.get(id) ?? 0) + 1);
        if (own !== cel) disagreements.push(`${id} ${file.slice(file.lastIndexOf('/') + 1)} ${String(object.kind)}: palisade ${own ? 'finding' : 'none'}, CEL ${cel ? 'finding' : 'none'}`);
      }
    }
    expect(disagreements.slice(0, 30)).toEqual([]);
    expect(compared).toBeGreaterThan(3000);
    for (const id of ['READ_ONLY_ROOT_FILESYSTEM', 'RESOURCE_LIMITS_MISSING', 'IMAGE_TAG_MUTABLE', 'PROBES_MISSING', 'TRUST_REMOTE_CODE', 'RAY_DASHBOARD_UNAUTHENTICATED', 'LLM_API_WITHOUT_KEY']) expect(findings.get(id) ?? 0, id).toBeGreaterThan(0);
  });
});

describe('posture policies', () => {
  it('group the selected checks by mode and keep the exemption terms', () => {
    const bundle = exportPosture({
      checks: [
        { id: 'HOST_PORT', params: {}, severity: 'medium', mode: 'enforce' },
        { id: 'NAMESPACE_PSA_NOT_ENFORCED', params: {}, severity: 'medium', mode: 'audit' },
      ],
      workloads: BUILTIN_WORKLOADS,
      configExemptions: [],
    });
    expect(bundle.policies.map((p) => [p.name, p.validations.map((v) => v.id)])).toEqual([
      ['palisade-posture-enforce', ['HOST_PORT']],
      ['palisade-posture-audit', ['NAMESPACE_PSA_NOT_ENFORCED']],
    ]);
    expect(bundle.policies[1]!.match.map((m) => m.kind)).toContain('Namespace');
    expect(bundle.policies[0]!.match.map((m) => m.kind)).not.toContain('Namespace');
    expect(bundle.policies[0]!.validations[0]!.expression).toContain('variables.exempt.exists');
  });
});

describe('docs/export.md', () => {
  it('lists every posture check, with the reason of those not exported', () => {
    const doc = readFileSync(join(ROOT, 'docs/export.md'), 'utf8');
    for (const check of CHECKS) {
      const listed = POSTURE_NOT_EXPORTED.find((n) => n.id === check.meta.id);
      expect(doc).toContain(`| \`${check.meta.id}\` | ${listed ? 'no' : 'yes'} | ${listed?.reason ?? ''} |`);
    }
  });
});

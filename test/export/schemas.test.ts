import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { constraintKind, exportPosture, exportPss, POSTURE_TRANSLATORS, toGatekeeper, toKyverno, toVap, type ExportBundle, type ExportOptions, type KubeObject } from '../../src/export/index.js';
import { BUILTIN_WORKLOADS } from '../../src/workloads/index.js';

/**
 * The exported YAML validates against each engine's published schema (test/fixtures/export/schemas,
 * see PROVENANCE.md), made strict the way the API server's strict field validation reads it: an
 * object schema with `properties` rejects unknown fields unless it preserves them.
 */

const DIR = new URL('../fixtures/export/schemas/', import.meta.url);

/** Copy a schema, closing every object that lists its properties (x-kubernetes-preserve-unknown-fields keeps it open). */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, strict(v)])) : strict(value);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

function ajv(): Ajv {
  const instance = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormatsModule.default(instance);
  instance.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  instance.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return instance;
}

/** A validator for one type of the API server's OpenAPI v3 document (refs resolved inside it). */
function openApiValidator(file: string, type: string): ValidateFunction {
  const doc = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as { components: Record<string, unknown> };
  return ajv().compile({ $ref: `#/components/schemas/${type}`, components: strict(doc.components) });
}

function crdValidator(schema: unknown): ValidateFunction {
  return ajv().compile(strict(schema) as object);
}

const kyvernoSchema = JSON.parse(readFileSync(new URL('kyverno.io_clusterpolicies.v1.schema.json', DIR), 'utf8')) as unknown;
const gatekeeperCrd = parseAllDocuments(readFileSync(new URL('templates.gatekeeper.sh_constrainttemplates.yaml', DIR), 'utf8'))
  .map((d) => d.toJS() as { metadata?: { name?: string }; spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: unknown } }> } })
  .find((d) => d.metadata?.name === 'constrainttemplates.templates.gatekeeper.sh')!;

const validators = {
  ValidatingAdmissionPolicy: openApiValidator('admissionregistration.k8s.io-v1.openapi.json', 'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy'),
  ValidatingAdmissionPolicyBinding: openApiValidator('admissionregistration.k8s.io-v1.openapi.json', 'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding'),
  /** Gatekeeper's K8sNativeValidation source is the VAP spec's variables/validations/matchConditions shapes (pkg/drivers/k8scel/schema). */
  VapSpec: openApiValidator('admissionregistration.k8s.io-v1.openapi.json', 'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec'),
  ClusterPolicy: crdValidator(kyvernoSchema),
  ConstraintTemplate: crdValidator(gatekeeperCrd.spec.versions.find((v) => v.name === 'v1')!.schema.openAPIV3Schema),
  LabelSelector: openApiValidator('admissionregistration.k8s.io-v1.openapi.json', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'),
};

function errorsOf(validate: ValidateFunction, object: unknown): string[] {
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const CONFIGS: Array<[string, ExportOptions]> = [
  ['restricted latest, enforce', { pss: { level: 'restricted', version: 'latest', mode: 'enforce' }, workloads: BUILTIN_WORKLOADS, configExemptions: [] }],
  ['baseline v1.25, warn, PSA exemptions, config exemptions', {
    pss: { level: 'baseline', version: 'v1.25', mode: 'warn' },
    workloads: BUILTIN_WORKLOADS,
    configExemptions: [{ check: 'PSS_*', match: { namespace: 'ml-*' }, reason: 'migration', expires: '2026-12-31' }],
    psaExemptions: { usernames: ['system:serviceaccount:kube-system:replicaset-controller'], runtimeClasses: ['kata'], namespaces: ['kube-system'] },
  }],
  ['PSA defaults with namespace labels', {
    pss: { defaults: { enforce: { level: 'baseline', version: 'latest' }, warn: { level: 'restricted', version: 'latest' }, audit: { level: 'restricted', version: 'latest' } }, version: 'v1.33' },
    workloads: BUILTIN_WORKLOADS,
    configExemptions: [],
  }],
];

/** Every translated posture check with its default params, spread over the three modes. */
const POSTURE: ExportBundle = exportPosture({
  checks: CHECKS.filter((c) => POSTURE_TRANSLATORS[c.meta.id]).map((c, i) => ({ id: c.meta.id, params: c.meta.defaultParams as Record<string, unknown>, severity: c.meta.severity, mode: (['enforce', 'warn', 'audit'] as const)[i % 3]! })),
  workloads: BUILTIN_WORKLOADS,
  configExemptions: [{ check: 'HOST_*', match: { namespace: 'ml-*' }, reason: 'migration', expires: '2026-12-31' }],
});

const BUNDLES: Array<[string, ExportBundle]> = [...CONFIGS.map(([name, options]): [string, ExportBundle] => [name, exportPss(options)]), ['posture checks in the three modes', POSTURE]];

describe('exported YAML validates against the engines\' published schemas', () => {
  it('the posture bundle has one policy and binding per mode', () => {
    expect(POSTURE.policies.map((p) => p.name)).toEqual(['palisade-posture-enforce', 'palisade-posture-warn', 'palisade-posture-audit']);
    expect(POSTURE.bindings.map((b) => b.modes)).toEqual([['enforce'], ['warn'], ['audit']]);
  });
  for (const [name, bundle] of BUNDLES) {
    it(`ValidatingAdmissionPolicy + Binding: ${name}`, () => {
      const objects = toVap(bundle);
      expect(objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy')).toHaveLength(bundle.policies.length);
      expect(objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')).toHaveLength(bundle.bindings.length);
      for (const object of objects) expect(errorsOf(validators[object.kind as 'ValidatingAdmissionPolicy'], object)).toEqual([]);
    });
    it(`Kyverno ClusterPolicy: ${name}`, () => {
      const objects = toKyverno(bundle);
      expect(objects).toHaveLength(bundle.bindings.length);
      for (const object of objects) expect(errorsOf(validators.ClusterPolicy, object)).toEqual([]);
    });
    it(`Gatekeeper ConstraintTemplate + Constraint: ${name}`, () => {
      const objects = toGatekeeper(bundle);
      for (const object of objects.filter((o) => o.kind === 'ConstraintTemplate')) {
        expect(errorsOf(validators.ConstraintTemplate, object)).toEqual([]);
        const spec = object.spec as { crd: { spec: { names: { kind: string } } }; targets: Array<{ code: Array<{ engine: string; source: Record<string, unknown> }> }> };
        expect((object.metadata as { name: string }).name).toBe(spec.crd.spec.names.kind.toLowerCase());
        const { matchCondition, ...source } = spec.targets[0]!.code[0]!.source;
        expect(spec.targets[0]!.code[0]!.engine).toBe('K8sNativeValidation');
        expect(errorsOf(validators.VapSpec, { ...source, ...(matchCondition ? { matchConditions: matchCondition } : {}) })).toEqual([]);
      }
      for (const object of objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1')) {
        const spec = object.spec as { enforcementAction: string; match: { kinds: unknown[]; namespaceSelector?: unknown } };
        expect(Object.keys(object).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
        expect(['deny', 'warn', 'dryrun']).toContain(spec.enforcementAction);
        expect(bundle.policies.map((p) => constraintKind(p.name))).toContain(object.kind);
        expect(Object.keys(spec.match).every((k) => ['kinds', 'namespaceSelector'].includes(k))).toBe(true);
        if (spec.match.namespaceSelector) expect(errorsOf(validators.LabelSelector, spec.match.namespaceSelector)).toEqual([]);
      }
    });
  }

  it('the strict schemas do reject an unknown field and a wrong enum', () => {
    const [policy] = toVap(exportPss(CONFIGS[0]![1]));
    const bad = { ...policy, spec: { ...(policy!.spec as KubeObject), failurePolicy: 'Sometimes', surprise: true } };
    expect(errorsOf(validators.ValidatingAdmissionPolicy, bad).length).toBeGreaterThanOrEqual(2);
    const [cp] = toKyverno(exportPss(CONFIGS[0]![1]));
    const rules = ((cp!.spec as { rules: Array<Record<string, unknown>> }).rules).map((r) => ({ ...r, validate: { ...(r.validate as object), failureAction: 'Deny' } }));
    expect(errorsOf(validators.ClusterPolicy, { ...cp, spec: { ...(cp!.spec as object), rules } })).not.toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ConfigExemption } from '../../src/core/config.js';
import { annotationExemption, applyExemptions, isoDay } from '../../src/core/exemptions.js';
import type { Finding, ResourceRef } from '../../src/core/types.js';
import { exportPss, type ExportedPolicy } from '../../src/export/index.js';
import { evaluatePodSpec, pssCheckId } from '../../src/pss/index.js';
import { BUILTIN_WORKLOADS } from '../../src/workloads/index.js';
import { evaluatePolicy } from './harness.js';

/**
 * Exemptions in CEL (palisade.dev/exempt annotations with reason and expiry, and `exemptions:` of
 * .palisade.yaml) decide as palisade's applyExemptions does, with `now` taken from the object's
 * creationTimestamp: generated cases (fast-check) against palisade's own code as the oracle.
 */

const CREATED = new Date('2026-12-06T15:30:00Z');
const POD_SPEC = { containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }], hostNetwork: true };

/** palisade's decision: the PSS findings at restricted:latest that no exemption suppresses. */
function ownDecision(object: { kind: string; metadata: { name: string; namespace: string; annotations?: Record<string, string> } }, config: readonly ConfigExemption[]): string[] {
  const evaluation = evaluatePodSpec({}, POD_SPEC, { level: 'restricted', version: 'latest' });
  const resource: ResourceRef = { apiVersion: 'v1', kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
  const findings = evaluation.violations.map((v) => ({ checkId: pssCheckId(v.check), resource, message: v.reason, severity: 'high', title: '' }) as unknown as Finding);
  applyExemptions(findings, { annotations: () => annotationExemption(object.metadata.annotations ?? {}), config, today: isoDay(CREATED) });
  return findings.filter((f) => !f.suppressed).map((f) => f.checkId).sort();
}

const policies = new Map<string, ExportedPolicy>();
function celDecision(object: Record<string, unknown>, config: readonly ConfigExemption[]): string[] {
  const key = JSON.stringify(config);
  let policy = policies.get(key);
  if (!policy) {
    policy = exportPss({ pss: { level: 'restricted', version: 'latest', mode: 'enforce' }, workloads: BUILTIN_WORKLOADS, configExemptions: config }).policies[0]!;
    policies.set(key, policy);
  }
  return [...evaluatePolicy(policy, object).failed].sort();
}

function pod(annotations: Record<string, string> | undefined, name = 'web-1', namespace = 'ml'): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; creationTimestamp: string; annotations?: Record<string, string> }; spec: unknown } {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, creationTimestamp: CREATED.toISOString(), ...(annotations ? { annotations } : {}) }, spec: POD_SPEC };
}

const PRIV = 'PSS_BASELINE_PRIVILEGED';
const HOSTNS = 'PSS_BASELINE_HOST_NAMESPACES';

describe('exemptions in CEL', () => {
  const table: Array<[string, Record<string, string> | undefined, readonly ConfigExemption[]]> = [
    ['no exemption', undefined, []],
    ['exact id with reason', { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'GPU driver' }, []],
    ['glob and spaces', { 'palisade.dev/exempt': ` PSS_BASELINE_* , ${PRIV}`, 'palisade.dev/exempt-reason': 'x' }, []],
    ['no reason: ignored', { 'palisade.dev/exempt': PRIV }, []],
    ['blank reason: ignored', { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': '  ' }, []],
    ['until today holds', { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'x', 'palisade.dev/exempt-until': '2026-12-06' }, []],
    ['until yesterday expired', { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'x', 'palisade.dev/exempt-until': '2026-12-05' }, []],
    ['empty date: ignored (a bad date)', { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'x', 'palisade.dev/exempt-until': ' ' }, []],
    ['bad date: ignored', { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'x', 'palisade.dev/exempt-until': 'soon' }, []],
    ['regex characters are literal', { 'palisade.dev/exempt': 'PSS.BASELINE.PRIVILEGED', 'palisade.dev/exempt-reason': 'x' }, []],
    ['config, namespace glob, unexpired', undefined, [{ check: 'PSS_BASELINE_*', match: { namespace: 'm?' }, reason: 'r', expires: '2026-12-06' }]],
    ['config, expired', undefined, [{ check: HOSTNS, match: {}, reason: 'r', expires: '2026-12-05' }]],
    ['config, other kind', undefined, [{ check: '*', match: { kind: 'Deployment' }, reason: 'r' }]],
    ['config, name glob', undefined, [{ check: HOSTNS, match: { name: 'web-*' }, reason: 'r' }]],
  ];
  for (const [name, annotations, config] of table) {
    it(name, () => {
      const object = pod(annotations);
      expect(celDecision(object, config)).toEqual(ownDecision(object, config));
    });
  }

  it('the table exercises both outcomes', () => {
    expect(ownDecision(pod(undefined), [])).toContain(PRIV);
    expect(ownDecision(pod({ 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'x' }), [])).not.toContain(PRIV);
  });

  it('generated annotations and config entries agree with applyExemptions', () => {
    const ids = [PRIV, HOSTNS, 'PSS_BASELINE_*', 'PSS_*', '*', 'PSS_RESTRICTED_?UN_AS_NON_ROOT', 'NOPE', 'pss_baseline_privileged', ''];
    const dates = ['2026-12-05', '2026-12-06', '2026-12-07', '2025-01-01', '', 'x'];
    const annotations = fc.record(
      { 'palisade.dev/exempt': fc.array(fc.constantFrom(...ids), { maxLength: 3 }).map((a) => a.join(',')), 'palisade.dev/exempt-reason': fc.constantFrom('why', '', ' '), 'palisade.dev/exempt-until': fc.constantFrom(...dates) },
      { requiredKeys: [] },
    );
    const entry = fc.record({
      check: fc.constantFrom(...ids.filter(Boolean)),
      match: fc.record({ namespace: fc.constantFrom('ml', 'm*', 'other'), kind: fc.constantFrom('Pod', 'P?d', 'Job'), name: fc.constantFrom('web-1', 'web-*', 'db') }, { requiredKeys: [] }),
      reason: fc.constant('r'),
      expires: fc.constantFrom('2026-12-05', '2026-12-06', '2027-01-01'),
    }, { requiredKeys: ['check', 'match', 'reason'] });
    fc.assert(
      fc.property(annotations, fc.array(entry, { maxLength: 2 }), (a, config) => {
        const object = pod(a as Record<string, string>);
        expect(celDecision(object, config as ConfigExemption[])).toEqual(ownDecision(object, config as ConfigExemption[]));
      }),
      { numRuns: 100 },
    );
  });
});

describe('the clock of exemption expiry (Kubernetes CEL has no now())', () => {
  const exempt = { 'palisade.dev/exempt': PRIV, 'palisade.dev/exempt-reason': 'x', 'palisade.dev/exempt-until': '2026-12-06' };
  const at = (metadata: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'ml', annotations: exempt, ...metadata }, spec: POD_SPEC });
  const managed = (...times: string[]): Array<Record<string, unknown>> => times.map((time, i) => ({ manager: `m${i}`, operation: 'Update', time }));

  it('CREATE: the creationTimestamp the API server sets decides (the exemption holds through its last day)', () => {
    expect(celDecision(at({ creationTimestamp: '2026-12-06T23:59:59Z' }), [])).not.toContain(PRIV);
    expect(celDecision(at({ creationTimestamp: '2026-12-07T00:00:00Z' }), [])).toContain(PRIV);
  });

  it('UPDATE: the newest managedFields time (stamped by the server for the manager of this change) wins over an old creationTimestamp', () => {
    expect(celDecision(at({ creationTimestamp: '2026-01-01T00:00:00Z', managedFields: managed('2026-03-01T10:00:00Z') }), [])).not.toContain(PRIV);
    expect(celDecision(at({ creationTimestamp: '2026-01-01T00:00:00Z', managedFields: managed('2026-03-01T10:00:00Z', '2026-12-08T09:00:00Z') }), [])).toContain(PRIV);
    // Config exemptions expire on the same clock.
    const config: ConfigExemption[] = [{ check: PRIV, match: {}, reason: 'r', expires: '2026-12-07' }];
    const object = { ...at({ creationTimestamp: '2026-01-01T00:00:00Z', managedFields: managed('2026-12-08T00:00:01Z') }), metadata: { name: 'web-1', namespace: 'ml', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: managed('2026-12-08T00:00:01Z') } };
    expect(celDecision(object, config)).toContain(PRIV);
    expect(celDecision({ ...object, metadata: { ...object.metadata, managedFields: managed('2026-12-07T23:00:00Z') } }, config)).not.toContain(PRIV);
  });

  it('no server-set time at all (files given to an offline engine): dated exemptions do not apply, undated ones do', () => {
    expect(celDecision(at({}), [])).toContain(PRIV);
    const { 'palisade.dev/exempt-until': _until, ...undated } = exempt;
    expect(celDecision({ ...at({}), metadata: { name: 'web-1', namespace: 'ml', annotations: undated } }, [])).not.toContain(PRIV);
  });

  it('a day Date.parse accepts but timestamp() would reject (2026-02-31) compares as text, as palisade does', () => {
    const object = at({ creationTimestamp: '2026-02-20T00:00:00Z' });
    (object.metadata as { annotations: Record<string, string> }).annotations = { ...exempt, 'palisade.dev/exempt-until': '2026-02-31' };
    expect(celDecision(object, [])).not.toContain(PRIV);
  });
});

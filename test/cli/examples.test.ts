import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

interface Report {
  results: Array<{ resource: { kind: string; name: string }; podSpecPath: string; allowed: boolean; level: string; version: string }>;
  findings: Array<{ checkId: string; severity: string }>;
}

describe('the bundled examples', () => {
  it('npm start: the insecure stack is audited, every pod spec fails restricted, and the run exits 0', () => {
    const run = palisade(['audit', 'examples/ml-serving-insecure', '--fail-on', 'none', '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results.map((r) => `${r.resource.kind}/${r.resource.name} ${r.podSpecPath} ${r.allowed}`)).toEqual([
      'Deployment/gateway /spec/template/spec false',
      'InferenceService/fraud-sklearn /spec/predictor false',
      'Notebook/research /spec/template/spec false',
      'RayCluster/batch-inference /spec/headGroupSpec/template/spec false',
      'RayCluster/batch-inference /spec/workerGroupSpecs/0/template/spec false',
      'StatefulSet/redis /spec/template/spec false',
      'Deployment/tf-serving /spec/template/spec false',
    ]);
    for (const id of ['PSS_BASELINE_PRIVILEGED', 'PSS_BASELINE_HOST_NAMESPACES', 'PSS_BASELINE_HOST_PORTS', 'PSS_RESTRICTED_CAPABILITIES', 'PSS_RESTRICTED_VOLUME_TYPES', 'PSS_RESTRICTED_RUN_AS_USER']) {
      expect(report.findings.map((f) => f.checkId)).toContain(id);
    }
  });

  it('the hardened stack passes restricted at the version its namespace enforces', () => {
    const run = palisade(['pss', 'examples/ml-serving-hardened', '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results).toHaveLength(7);
    expect(report.results.every((r) => r.allowed && r.level === 'restricted' && r.version === 'v1.33')).toBe(true);
    expect(report.findings).toEqual([]);
  });

  it('the network policies of the hardened stack prove its intents; the insecure stack breaks them', () => {
    const hardened = palisade(['netpol', 'verify', 'examples/ml-serving-hardened/intents.yaml', 'examples/ml-serving-hardened', '--format', 'json']);
    expect(hardened.status).toBe(0);
    expect((JSON.parse(hardened.stdout) as Report).findings).toEqual([]);
    const insecure = palisade(['netpol', 'verify', 'examples/ml-serving-hardened/intents.yaml', 'examples/ml-serving-insecure', '--format', 'json']);
    expect(insecure.status).toBe(1);
    expect((JSON.parse(insecure.stdout) as Report).findings.map((f) => f.checkId)).toEqual(['NETPOL_INTENT_BROKEN', 'NETPOL_INTENT_BROKEN', 'NETPOL_INTENT_BROKEN']);
  });
});

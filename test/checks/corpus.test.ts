import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditSession } from '../../src/audit/index.js';
import { CHECKS } from '../../src/checks/index.js';
import { NETPOL_CHECKS } from '../../src/netpol/lint/index.js';
import { loadText } from '../../src/core/load.js';
import type { Finding } from '../../src/core/types.js';
import { SHARED } from '../helpers/shared.js';

/**
 * The posture checks over the 329 real manifests of ../shared/corpus/ml-manifests, read in place and
 * fed file by file to one session, as the CLI does. The per-check counts are pinned so a change in
 * noise shows up in review; a handful of files pin exact findings.
 */
const CORPUS = join(SHARED, 'corpus/ml-manifests');
const index = JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Array<{ file: string }>;
// The posture checks and the network lint the audit runs at the end.
const POSTURE = new Set([...CHECKS, ...NETPOL_CHECKS].map((c) => c.meta.id));

let findings: Finding[] = [];
let loadErrors = 0;
let sessionErrors: string[] = [];

beforeAll(() => {
  const session = new AuditSession({ now: new Date('2026-06-01') });
  for (const { file } of index) {
    const part = loadText(file, readFileSync(join(CORPUS, file), 'utf8'));
    loadErrors += part.errors.length;
    findings.push(...session.addFile(part).findings);
  }
  const finished = session.finish();
  findings.push(...finished.findings);
  sessionErrors = finished.errors.map((e) => e.format());
  findings = findings.filter((f) => POSTURE.has(f.checkId));
});

const at = (file: string): Array<[string, number, number]> => findings.filter((f) => f.location?.file === file).map((f) => [f.checkId, f.location!.line, f.location!.column]);

describe('posture checks over the ML manifest corpus', () => {
  it('every file loads and every finding has a location and a resource', () => {
    expect(loadErrors).toBe(0);
    expect(sessionErrors).toEqual([]);
    expect(findings.filter((f) => !f.location || !f.resource)).toEqual([]);
  });

  it('pins the number of findings per check', () => {
    const counts: Record<string, number> = {};
    for (const f of findings) counts[f.checkId] = (counts[f.checkId] ?? 0) + 1;
    expect(counts).toEqual({
      CREDENTIAL_MOUNT: 1,
      DEFAULT_SERVICE_ACCOUNT: 301, // + the Spark driver pod template without containers (data-on-eks), judged as incomplete
      EXPOSED_ADMIN_PORT: 3,
      EXPOSED_MODEL_SERVER: 1,
      GPU_NAMESPACE_WITHOUT_QUOTA: 18,
      HF_MODEL_UNPINNED: 10,
      // was absent: at restricted the medium PSS_RESTRICTED_VOLUME_TYPES on the same field hid it;
      // a stricter level must never lower a severity (issue 13), so the high hostPath finding stays.
      HOST_PATH_VOLUME: 17,
      IMAGE_NOT_PINNED_BY_DIGEST: 207,
      IMAGE_TAG_MUTABLE: 92,
      // was 1: every Ingress without TLS is judged, whatever its backend (issue 16); the KubeRay
      // client Ingress with ssl-passthrough is TLS end to end and stays quiet.
      INGRESS_WITHOUT_TLS: 8,
      LLM_API_WITHOUT_KEY: 6,
      MEMORY_EMPTYDIR_UNBOUNDED: 43,
      NAMESPACE_PSA_NOT_ENFORCED: 17,
      NAMESPACE_WITHOUT_DEFAULT_DENY: 37,
      // The corpus is one soup: objects without a namespace share "default", and a few
      // namespaceless NetworkPolicies make the lint judge every namespaceless model server.
      NETPOL_ADMIN_PORT_FROM_OUTSIDE: 65,
      NETPOL_MODEL_SERVER_EGRESS_ANYWHERE: 78,
      NETPOL_MODEL_SERVER_REACHES_METADATA: 78,
      NETPOL_POLICY_SELECTS_NOTHING: 3,
      PROBES_MISSING: 49,
      RAY_DASHBOARD_UNAUTHENTICATED: 46,
      READ_ONLY_ROOT_FILESYSTEM: 369,
      RESOURCE_LIMITS_MISSING: 218,
      // Secret manifests with values (KServe/KubeRay samples, modelmesh fvt); ConfigMaps hold none here.
      SECRET_COMMITTED: 8,
      // was 6 (9 before the example-key fix): + Grafana's admin:admin in a curl URL (gke-batch-refarch);
      // the KubeRay history-server collectors' AWS_ACCESS_KEY_ID beside a literal AWS_SECRET_ACCESS_KEY
      // is one credential and adds nothing.
      SECRET_LITERAL: 7,
      SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED: 30,
      // NodePort/LoadBalancer Services that publish no model-server port (issue 16: exposure for any workload).
      SERVICE_EXTERNALLY_EXPOSED: 8,
      TORCHSERVE_MANAGEMENT_OPEN: 7,
      TRITON_MODEL_CONTROL_OPEN: 1,
      TRUST_REMOTE_CODE: 7,
    });
  });

  it('Ray: a KubeRay NodePort head publishes the dashboard, and KubeRay\'s 0.0.0.0 default is reported at rayStartParams', () => {
    expect(at('ray-project__kuberay/ray-operator__config__samples__ray-cluster.separate-ingress.yaml').filter(([id]) => id === 'EXPOSED_ADMIN_PORT' || id === 'RAY_DASHBOARD_UNAUTHENTICATED')).toEqual([
      ['RAY_DASHBOARD_UNAUTHENTICATED', 16, 5],
      ['EXPOSED_ADMIN_PORT', 12, 5],
    ]);
  });

  it('TorchServe: a NodePort Service in one file publishes the management API of a Deployment in another', () => {
    expect(at('pytorch__serve/kubernetes__examples__mnist__service.yaml')).toEqual([
      ['EXPOSED_ADMIN_PORT', 16, 5],
      ['EXPOSED_MODEL_SERVER', 12, 5],
    ]);
    expect(at('pytorch__serve/kubernetes__kserve__tests__configs__mnist_v1_cpu.yaml').filter(([id]) => id === 'TORCHSERVE_MANAGEMENT_OPEN')).toEqual([
      ['TORCHSERVE_MANAGEMENT_OPEN', 18, 11],
      ['TORCHSERVE_MANAGEMENT_OPEN', 19, 11],
    ]);
  });

  it('Jupyter: a LoadBalancer Service on port 80 targets the notebook port 8888', () => {
    const found = findings.filter((f) => f.location?.file === 'GoogleCloudPlatform__ai-on-gke/ray-on-gke__guides__raytrain-with-gcsfusecsi__jupyter-spec.yaml' && f.checkId === 'EXPOSED_ADMIN_PORT');
    expect(found.map((f) => [f.message, f.location?.line, f.path])).toEqual([['LoadBalancer Service "tensorflow-jupyter" publishes the Jupyter notebook server (runs code) (port 8888) of StatefulSet "tensorflow"', 89, '/spec/ports/0']]);
  });

  it('vLLM: --trust-remote-code inside a shell string, and no API key, on the LeaderWorkerSet leader', () => {
    expect(at('GoogleCloudPlatform__kubernetes-engine-samples/ai-ml__llm-multihost-gpus__vllm-deepseek-r1-A3-HDML.yaml').filter(([id]) => id === 'TRUST_REMOTE_CODE' || id === 'LLM_API_WITHOUT_KEY')).toEqual([
      ['LLM_API_WITHOUT_KEY', 41, 13],
      ['TRUST_REMOTE_CODE', 44, 17],
      ['LLM_API_WITHOUT_KEY', 73, 13],
    ]);
  });

  it('secrets: literal object-store keys are reported masked; the HF token from a Secret is not', () => {
    const found = findings.filter((f) => f.location?.file === 'ray-project__kuberay/historyserver__config__raycluster.yaml' && f.checkId === 'SECRET_LITERAL');
    expect(found.map((f) => [f.location?.line, f.message])).toEqual([
      [86, 'container "collector" sets AWS_SECRET_ACCESS_KEY to a literal credential (mini******)'],
      [174, 'container "collector" sets AWS_SECRET_ACCESS_KEY to a literal credential (mini******)'],
    ]);
    expect(findings.some((f) => f.message.includes('minioadmin'))).toBe(false);
  });
});

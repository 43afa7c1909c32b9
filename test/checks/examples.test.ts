import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

interface AuditJson {
  findings: Array<{ checkId: string; severity: string; location?: { file: string; line: number }; suppressed?: unknown; occurrences?: Array<{ location?: { file: string; line: number } }> }>;
}

/** What `npm start` audits: every planted mistake of the insecure example is caught, and the hardened one is quiet. */
describe('examples', () => {
  it('catches each planted mistake of examples/ml-serving-insecure, at its line', () => {
    const run = palisade(['audit', 'examples/ml-serving-insecure', '--format', 'json', '--fail-on', 'none']);
    expect(run.status).toBe(0);
    // A check repeated on one object is one finding (issue 13); each place it fired is in its occurrences.
    const found = new Set((JSON.parse(run.stdout) as AuditJson).findings.flatMap((f) => (f.occurrences ?? [f]).map((o) => `${o.location?.file.replace('examples/ml-serving-insecure/', '')}:${o.location?.line} ${f.checkId}`)));
    const planted = [
      'gateway.yaml:18 IMAGE_TAG_MUTABLE', // nginx:latest
      'gateway.yaml:21 PSS_BASELINE_HOST_PORTS', // hostPort 80
      'kserve-sklearn.yaml:12 MODEL_URI_PLAIN_HTTP', // model over http
      'kserve-sklearn.yaml:15 SECRET_LITERAL', // HF_TOKEN literal
      'kserve-sklearn.yaml:16 RESOURCE_LIMITS_MISSING', // requests, no limits
      'namespace.yaml:7 NAMESPACE_PSA_NOT_ENFORCED', // no enforce label
      'namespace.yaml:6 NAMESPACE_WITHOUT_DEFAULT_DENY', // no NetworkPolicy at all
      'notebook.yaml:12 IMAGE_TAG_MUTABLE',
      'notebook.yaml:14 JUPYTER_WITHOUT_AUTH', // empty token and password
      'notebook.yaml:17 SECRET_LITERAL', // WANDB_API_KEY literal
      'notebook.yaml:19 PSS_RESTRICTED_RUN_AS_USER', // runAsUser: 0
      'ray-cluster.yaml:10 EXPOSED_ADMIN_PORT', // head Service LoadBalancer
      'ray-cluster.yaml:12 RAY_DASHBOARD_UNAUTHENTICATED', // dashboard-host 0.0.0.0
      'ray-cluster.yaml:37 GPU_ACCESS_UNCONTROLLED', // NVIDIA_VISIBLE_DEVICES=all
      'redis.yaml:18 IMAGE_TAG_MUTABLE', // untagged image
      // The AWS key pair (key id at :22, secret key at :24) is one credential: one finding, at the secret half.
      'tf-serving.yaml:24 SECRET_LITERAL', // AWS secret key
      'tf-serving.yaml:45 PSS_RESTRICTED_VOLUME_TYPES', // hostPath model store
      'tf-serving.yaml:45 HOST_PATH_VOLUME', // the same field, kept high: a stricter level never lowers a severity (issue 13)
      'tf-serving-image/Dockerfile:2 DOCKERFILE_ROOT_USER', // the image that tf-serving runs: no USER
      'tf-serving-image/Dockerfile:2 DOCKERFILE_BASE_LATEST', // tensorflow/serving:latest-gpu
      'tf-serving-image/Dockerfile:4 DOCKERFILE_SECRET_IN_ENV', // ARG HF_TOKEN=hf_…
      'tf-serving-image/Dockerfile:6 DOCKERFILE_CURL_PIPE_SHELL', // curl | sh
    ];
    expect(planted.filter((p) => !found.has(p))).toEqual([]);
  });

  it('finds nothing at medium or above in examples/ml-serving-hardened', () => {
    const report = JSON.parse(palisade(['audit', 'examples/ml-serving-hardened', '--format', 'json', '--fail-on', 'none']).stdout) as AuditJson;
    expect(report.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity)).map((f) => `${f.checkId} ${f.location?.file}:${f.location?.line}`)).toEqual([]);
  });
});

// The request both serve benches send: a 3-container inference pod (KServe predictor, Knative
// queue-proxy, a metrics exporter) created by the ReplicaSet controller in a namespace labelled
// enforce=baseline, warn=audit=restricted. `uniqueBody` holds __SEQ__ in a pod label (read by
// the checks, so part of the decision key) and in the uid.
const container = (name, image, port) => ({
  name,
  image,
  ports: [{ containerPort: port }],
  resources: { limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' } },
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  readinessProbe: { httpGet: { path: '/v2/health/ready', port } },
});

export const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { generateName: 'triton-predictor-', namespace: 'ml-serving', labels: { app: 'triton' } },
  spec: {
    serviceAccountName: 'triton',
    containers: [
      container('kserve-container', 'nvcr.io/nvidia/tritonserver:24.05-py3', 8000),
      container('queue-proxy', 'gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246', 8012),
      container('metrics', 'registry.example.com/ml/metrics-exporter:1.4.2', 9400),
    ],
  },
};

export const NAMESPACE_YAML = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml-serving\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit: restricted\n';

/** An AdmissionReview (v1) creating `object`, as the API server sends it. */
export const reviewBody = (object, uid = 'bench') =>
  JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'ml-serving', operation: 'CREATE', userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' }, object, oldObject: null, dryRun: false } });

export const body = reviewBody(pod);

const uniquePod = structuredClone(pod);
uniquePod.metadata.labels['bench-seq'] = '__SEQ__';
export const uniqueBody = reviewBody(uniquePod, 'bench-__SEQ__');

/**
 * The no-op webhook's request handler: parse the review, answer `allowed: true` with its uid.
 * bench/serve.mjs runs it in a node:https server of its own (from this function's source text);
 * bench/serve-decision.mjs drives it in process. One function, so both baselines are the same code.
 */
export function noopHandler(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString());
    const out = JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
}

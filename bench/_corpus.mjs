// Generates the audit benchmark corpus: mixed kinds and CRDs, deterministic, written as many files.
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const helmMetadata = (i) => `  labels:
    app.kubernetes.io/name: model-${i}
    app.kubernetes.io/instance: release-${i % 97}
    app.kubernetes.io/version: "1.${i % 13}.${i % 7}"
    app.kubernetes.io/component: inference
    app.kubernetes.io/part-of: ml-platform
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: model-server-0.${i % 31}.0
  annotations:
    checksum/config: ${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    meta.helm.sh/release-name: release-${i % 97}
    meta.helm.sh/release-namespace: team-${i % 40}
    description: "Model server ${i} for the team-${i % 40} ranking and recommendation workloads; owned by ml-platform."
`;
const deployment = (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-${i}
  namespace: team-${i % 40}
${helmMetadata(i)}spec:
  replicas: 2
  selector:
    matchLabels: {app: model-${i}}
  template:
    metadata:
      labels: {app: model-${i}}
    spec:
      serviceAccountName: model-${i}
      securityContext:
        runAsNonRoot: ${i % 3 === 0}
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: server
        image: registry.example.com/models/server:${i % 17}.${i % 5}
        args: ["--port=8080", "--model=/models/m${i}"]
        ports:
        - {containerPort: 8080, name: http}
        env:
        - {name: MODEL_NAME, value: "m${i}"}
        - {name: LOG_LEVEL, value: info}
        - {name: OMP_NUM_THREADS, value: "4"}
        - {name: MODEL_STORE, value: "s3://models/team-${i % 40}/m${i}"}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: REDIS_PASSWORD
          valueFrom: {secretKeyRef: {name: redis, key: password}}
        readinessProbe:
          httpGet: {path: /v2/health/ready, port: 8080}
          periodSeconds: 10
        livenessProbe:
          httpGet: {path: /v2/health/live, port: 8080}
          initialDelaySeconds: 30
        resources:
          requests: {cpu: 500m, memory: 1Gi}
          limits: {cpu: "2", memory: 4Gi}
        securityContext:
          allowPrivilegeEscalation: ${i % 4 === 0}
          capabilities: {drop: [ALL]}
        volumeMounts:
        - {name: models, mountPath: /models, readOnly: true}
        - {name: tmp, mountPath: /tmp}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: node.kubernetes.io/instance-type, operator: In, values: [g5.xlarge, g5.2xlarge]}
      tolerations:
      - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
      volumes:
      - name: models
        persistentVolumeClaim: {claimName: models-${i}}
      - name: tmp
        emptyDir: {}
`;
const service = (i) => `apiVersion: v1
kind: Service
metadata:
  name: model-${i}
  namespace: team-${i % 40}
${helmMetadata(i)}spec:
  selector: {app: model-${i}}
  ports:
  - {name: http, port: 80, targetPort: 8080}
`;
const isvc = (i) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: isvc-${i}
  namespace: team-${i % 40}
${helmMetadata(i)}spec:
  predictor:
    serviceAccountName: sa-${i}
    model:
      modelFormat: {name: sklearn}
      storageUri: s3://bucket/models/${i}
      resources:
        limits: {cpu: "1", memory: 2Gi}
  transformer:
    containers:
    - name: transformer
      image: registry.example.com/transform:${i % 9}
      env:
      - {name: STORAGE, value: "s3://bucket/${i}"}
`;
const ray = (i) => `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: ray-${i}
  namespace: team-${i % 40}
${helmMetadata(i)}spec:
  headGroupSpec:
    rayStartParams: {dashboard-host: "0.0.0.0"}
    template:
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.9.${i % 3}
          ports:
          - {containerPort: 6379, name: gcs}
          - {containerPort: 8265, name: dashboard}
          resources:
            limits: {cpu: "2", memory: 8Gi}
  workerGroupSpecs:
  - groupName: workers
    replicas: 2
    template:
      spec:
        containers:
        - name: ray-worker
          image: rayproject/ray:2.9.${i % 3}-gpu
          resources:
            limits: {cpu: "4", memory: 16Gi, nvidia.com/gpu: 1}
`;
const pytorch = (i) => `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: train-${i}
  namespace: team-${i % 40}
${helmMetadata(i)}spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          containers:
          - name: pytorch
            image: registry.example.com/train:${i % 11}
            command: ["python", "train.py", "--epochs=${i % 20}"]
    Worker:
      replicas: 3
      template:
        spec:
          containers:
          - name: pytorch
            image: registry.example.com/train:${i % 11}
`;
const configMap = (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${i}
  namespace: team-${i % 40}
${helmMetadata(i)}data:
  settings.yaml: |
    batch_size: ${i % 64}
    threads: 4
    max_sequence_length: ${512 + (i % 4) * 512}
    tokenizer: bert-base-uncased
    cache:
      enabled: true
      ttl_seconds: ${60 * (i % 30)}
      backend: redis://redis.team-${i % 40}.svc:6379/0
    features:
${Array.from({ length: 48 }, (_, k) => `      - {name: feature_${k}, dtype: float32, default: ${(k * i) % 100}.0, source: "warehouse.team_${i % 40}.features_v${k % 5}"}`).join('\n')}
`;
// Network policies, so the audit's network lint has a model to judge: default deny in half the
// teams, and allow rules that let the gateway namespace in.
const networkPolicy = (i) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: policy-${i}
  namespace: team-${i % 40}
spec:
${(i / 500) % 2 === 0 ? `  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
    ports: [{port: 53, protocol: UDP}]` : `  podSelector:
    matchExpressions: [{key: app, operator: In, values: [model-${i + 8}, model-${i + 16}]}]
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: gateway}}}]
    ports: [{port: 8080}]`}
`;
const KINDS = [deployment, service, isvc, ray, pytorch, configMap, deployment, service];
const kindOf = (i) => (i % 500 === 0 ? networkPolicy : KINDS[i % KINDS.length]);

/** 50,000 resources in files of 100 documents; returns the directory and total bytes. */
export function ensureCorpus(root, resources = 50_000, perFile = 100) {
  const dir = join(root, `audit-v5-${resources}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return { dir, bytes: Number(readFileSync(marker, 'utf8')), resources };
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let f = 0; f * perFile < resources; f++) {
    const docs = [];
    for (let j = 0; j < perFile && f * perFile + j < resources; j++) {
      const i = f * perFile + j;
      docs.push(kindOf(i)(i));
    }
    const text = docs.join('---\n');
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, `part-${String(f).padStart(4, '0')}.yaml`), text);
  }
  writeFileSync(marker, String(bytes));
  return { dir, bytes, resources };
}

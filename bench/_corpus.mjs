// Generates the audit benchmark corpus: mixed kinds and CRDs, deterministic, written as many files.
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const deployment = (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-${i}
  namespace: team-${i % 40}
  labels: {app: model-${i}, tier: serving}
  annotations: {owner: "ml-platform", revision: "${i}"}
spec:
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
        resources:
          requests: {cpu: 500m, memory: 1Gi}
          limits: {cpu: "2", memory: 4Gi}
        securityContext:
          allowPrivilegeEscalation: ${i % 4 === 0}
          capabilities: {drop: [ALL]}
        volumeMounts:
        - {name: models, mountPath: /models, readOnly: true}
        - {name: tmp, mountPath: /tmp}
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
spec:
  selector: {app: model-${i}}
  ports:
  - {name: http, port: 80, targetPort: 8080}
`;
const isvc = (i) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: isvc-${i}
  namespace: team-${i % 40}
spec:
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
spec:
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
spec:
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
data:
  settings.yaml: |
    batch_size: ${i % 64}
    threads: 4
`;
const KINDS = [deployment, service, isvc, ray, pytorch, configMap, deployment, service];

/** 50,000 resources in files of 100 documents; returns the directory and total bytes. */
export function ensureCorpus(root, resources = 50_000, perFile = 100) {
  const dir = join(root, `audit-${resources}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return { dir, bytes: Number(readFileSync(marker, 'utf8')), resources };
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let f = 0; f * perFile < resources; f++) {
    const docs = [];
    for (let j = 0; j < perFile && f * perFile + j < resources; j++) {
      const i = f * perFile + j;
      docs.push(KINDS[i % KINDS.length](i));
    }
    const text = docs.join('---\n');
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, `part-${String(f).padStart(4, '0')}.yaml`), text);
  }
  writeFileSync(marker, String(bytes));
  return { dir, bytes, resources };
}

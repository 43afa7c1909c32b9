// palisade audit --cluster on 5,000 pods in 50 namespaces (each namespace: 10 Deployments of 10
// replicas, their ReplicaSets and pods, as the API server returns them, managedFields and status
// included) vs. palisade audit of the same objects, stripped, read from one JSON file. Both in a
// fresh process; prints time, peak RSS and the ratio.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApi } from './_fakeapi.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { createServingPair } = await import('../dist/admission/x509.js');
const { stripServerFields } = await import('../dist/cluster/index.js');
const NAMESPACES = 50;
const DEPLOYMENTS = 10;
const REPLICAS = 10;

const objects = [];
const managed = [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-02T09:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:containers': {} } } }];
for (let n = 0; n < NAMESPACES; n++) {
  const ns = `team-${n}`;
  objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, uid: `ns-${n}`, resourceVersion: '1', labels: { 'kubernetes.io/metadata.name': ns }, managedFields: managed }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const name = `model-${d}`;
    const labels = { app: name };
    const template = {
      metadata: { labels },
      spec: {
        containers: [
          { name: 'server', image: `registry.example.com/ml/server:1.${d}`, ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }, securityContext: { allowPrivilegeEscalation: d % 2 === 0, runAsNonRoot: true } },
          { name: 'metrics', image: 'registry.example.com/ml/metrics@sha256:' + 'b'.repeat(64), ports: [{ containerPort: 9090 }] },
        ],
      },
    };
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, uid: `dep-${n}-${d}`, resourceVersion: '2', generation: 1, managedFields: managed }, spec: { replicas: REPLICAS, selector: { matchLabels: labels }, template }, status: { replicas: REPLICAS } };
    const rsName = `${name}-5d8f7c9b4`;
    const rsTemplate = { ...template, metadata: { labels: { ...labels, 'pod-template-hash': '5d8f7c9b4' } } };
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rsName, namespace: ns, uid: `rs-${n}-${d}`, resourceVersion: '3', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: dep.metadata.uid, controller: true }], managedFields: managed }, spec: { replicas: REPLICAS, selector: { matchLabels: rsTemplate.metadata.labels }, template: rsTemplate }, status: { replicas: REPLICAS } };
    objects.push(dep, rs);
    for (let r = 0; r < REPLICAS; r++) {
      const spec = structuredClone(template.spec);
      spec.serviceAccountName = 'default';
      spec.nodeName = `node-${r}`;
      spec.volumes = [{ name: 'kube-api-access-x1y2z', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }];
      for (const c of spec.containers) c.volumeMounts = [{ name: 'kube-api-access-x1y2z', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }];
      objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${rsName}-p${r}`, namespace: ns, uid: `pod-${n}-${d}-${r}`, resourceVersion: '4', labels: rsTemplate.metadata.labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid, controller: true }], managedFields: managed }, spec, status: { phase: 'Running', podIP: `10.1.${n}.${r}` } });
    }
  }
}
const pods = objects.filter((o) => o.kind === 'Pod').length;

const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-cluster-'));
const file = join(dir, 'objects.json');
writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.map(stripServerFields) }));
const { ca, serving } = createServingPair(['localhost'], 1, ['127.0.0.1']);
const api = await startApi(objects, { token: 'bench', cert: serving.certPem, key: serving.keyPem });
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: b\ncontexts: [{name: b, context: {cluster: b, user: b}}]\nclusters: [{name: b, cluster: {server: "${api.url}", certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}}}]\nusers: [{name: b, user: {token: bench}}]\n`);

const child = (args) =>
  new Promise((resolve, reject) => {
    const run = spawn(process.execPath, ['--max-old-space-size=4096', join(here, '_cluster-child.mjs'), ...args, '--fail-on', 'none', '-f', 'json'], { env: { ...process.env, KUBECONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (d) => (stdout += d));
    run.stderr.on('data', (d) => (stderr += d));
    run.on('error', reject);
    run.on('close', (status) => {
      if (status !== 0) return reject(new Error(stderr));
      const figures = JSON.parse(stderr.trim().split('\n').pop());
      resolve({ ...figures, findings: JSON.parse(stdout).findings.length });
    });
  });
const best = async (args, n) => {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await child(args));
  return runs.sort((a, b) => a.ms - b.ms)[0];
};
try {
  const fromFile = await best(['audit', file], 2);
  const live = await best(['audit', '--cluster', '--kubeconfig', kubeconfig], 2);
  console.log(JSON.stringify({ bench: 'cluster-audit', size: { pods, namespaces: NAMESPACES, objects: objects.length }, ms: Math.round(live.ms), baselineMs: Math.round(fromFile.ms), ratio: +(live.ms / fromFile.ms).toFixed(2), peakRssMb: Math.round(live.rssMb), baselineRssMb: Math.round(fromFile.rssMb), rssRatio: +(live.rssMb / fromFile.rssMb).toFixed(2), findings: live.findings, baselineFindings: fromFile.findings }));
} finally {
  await api.close();
}

import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';

/**
 * The API server prunes null CRD fields before validation (kubernetes.io, CustomResourceDefinitions,
 * "Defaulting and Nullable"), so a field written with no value is a field left out. NCA's
 * sidecars-syntax-tests scheme reads `egress:` with no value this way ("empty_egress, ignored").
 */
const TOPOLOGY = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: a, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: a}
spec: {selector: {app: api}, ports: [{port: 80}]}
`;

function matrixOf(policies: string): unknown {
  const model = buildMeshModel(loadText('in.yaml', `${TOPOLOGY}---\n${policies}`).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  return meshMatrix(model, 'pod');
}

describe('null fields of Calico, Cilium and Istio objects', () => {
  it('a Sidecar whose egress has no value is a Sidecar without egress', () => {
    const head = `apiVersion: networking.istio.io/v1beta1
kind: Sidecar
metadata: {name: s, namespace: a}
spec:
  workloadSelector:
    labels: {app: web}
`;
    expect(matrixOf(`${head}  egress:\n`)).toEqual(matrixOf(head));
  });

  it('an AuthorizationPolicy rule whose from has no value is a rule without from', () => {
    const head = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p, namespace: a}
spec:
  selector: {matchLabels: {app: api}}
  rules:
  - to: [{operation: {methods: [GET]}}]
`;
    const nulled = matrixOf(`${head}    from:\n`);
    expect(nulled).toEqual(matrixOf(head));
    expect(JSON.stringify(nulled)).toContain('"methods":["GET"]');
  });

  it('a Calico rule whose source has no value is a rule without source', () => {
    const head = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
`;
    const nulled = matrixOf(`${head}    source:\n`);
    expect(nulled).toEqual(matrixOf(head));
    expect(JSON.stringify(nulled)).toContain('{"src":"a/web","dst":"a/api","conns":[{"protocol":"6"}]}');
  });
});

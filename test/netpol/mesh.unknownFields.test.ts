import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * A field its kind's schema does not have is reported where it is (MESH_UNKNOWN_FIELD, a warning), never
 * dropped in silence: the API server refuses it under strict field validation, so a misspelling that
 * palisade read as "absent" would describe a cluster that cannot exist. Keys of maps (labels) are free.
 */
const INPUT = `apiVersion: v1
kind: Pod
metadata: {name: server, namespace: ml, labels: {app: server}}
spec: {serviceAccountName: server, containers: [{name: c, image: x}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-one, namespace: ml}
spec:
  selector: {matchLabels: {app: server, any-label/key: x}}
  action: DENY
  rules:
  - from:
    - source:
        principal: [cluster.local/ns/ml/sa/batch]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cnp, namespace: ml}
spec:
  endpointSelector: {matchLabels: {app: server}}
  ingress:
  - fromEndpoint: [{matchLabels: {app: client}}]
    toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, paths: /v1}]}}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: gnp}
spec:
  selector: all()
  ingres: [{action: Allow}]
`;

describe('unknown fields in Calico, Cilium and Istio objects', () => {
  it('each is a warning at its file:line naming the field and where it is; map keys and known fields are not', () => {
    const model = buildMeshModel(loadText('mesh.yaml', INPUT).resources);
    const unknown = model.warnings.filter((w) => w.code === 'MESH_UNKNOWN_FIELD');
    expect(unknown.map((w) => [w.location?.line, w.location?.column, w.message.split('; read as absent: ')[1]])).toEqual([
      [15, 9, '"principal" in AuthorizationPolicy /spec/rules/0/from/0/source'],
      [23, 5, '"fromEndpoint" in CiliumNetworkPolicy /spec/ingress/0'],
      [24, 83, '"paths" in CiliumNetworkPolicy /spec/ingress/0/toPorts/0/rules/http/0'],
      [31, 3, '"ingres" in GlobalNetworkPolicy /spec'],
    ]);
  });

  it('a clean object has none', () => {
    const clean = INPUT.replace('principal:', 'principals:').replace('fromEndpoint:', 'fromEndpoints:').replace('paths: /v1', 'path: /v1').replace('ingres:', 'ingress:');
    expect(buildMeshModel(loadText('mesh.yaml', clean).resources).warnings.filter((w) => w.code === 'MESH_UNKNOWN_FIELD')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';

/**
 * `global()` and `all()` in a Calico rule's namespaceSelector. Calico rewrites the namespaceSelector before
 * it matches anything (libcalico-go updateprocessors/rules.go, entityRuleAPIV2TOBackend): "We treat
 * all() as select all namespaces ... translate this to ... has(projectcalico.org/namespace)", and "We
 * treat global() as opposite to all(), selects only host endpoints or GlobalNetworksets ... translate
 * this to ... !has(projectcalico.org/namespace)". It then selects resources by their labels, and a
 * selected network set contributes all its nets. So `!(global() && all())` is
 * `!(!has(ns) && has(ns))`, true for every endpoint: the GlobalNetworkSet is selected, every net of it.
 * (network-config-analyzer reads it per address and leaves out the addresses a namespaced NetworkSet
 * also lists: held-out config testcase24-scheme np_c of its calico_testcases.)
 */
const TOPOLOGY = `apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: app, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: other, labels: {role: db}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: global-db, labels: {role: db}}
spec: {nets: [198.51.100.0/29, 203.0.113.0/25]}
---
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: local-db, namespace: app, labels: {role: db}}
spec: {nets: [198.51.100.0/28]}
`;

const policy = (namespaceSelector: string): string => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: to-db, namespace: app}
spec:
  selector: app == 'client'
  types: [Egress]
  egress:
  - action: Allow
    destination: {namespaceSelector: "${namespaceSelector}", selector: role == 'db'}
`;

/** Where app/client may send anything to. */
function reached(namespaceSelector: string): string[] {
  const model = buildMeshModel(loadText('in.yaml', `${TOPOLOGY}---\n${policy(namespaceSelector)}`).resources);
  expect(model.errors).toEqual([]);
  return meshMatrix(model, 'pod')
    .filter((c) => c.src === 'app/client' && c.conns === 'All')
    .map((c) => c.dst)
    .sort();
}

describe('Calico namespaceSelector with global() and all()', () => {
  it('global() picks the global network set only, all() the namespaced endpoints only', () => {
    expect(reached('global()')).toEqual(['ip:198.51.100.0-198.51.100.7', 'ip:203.0.113.0-203.0.113.127']);
    expect(reached('all()')).toEqual(['ip:198.51.100.0-198.51.100.15', 'other/db']);
  });

  it('!(global() && all()) picks every endpoint: the global set with all its nets, though a namespaced set lists some of them too', () => {
    expect(reached('!(global() && all())')).toEqual(['ip:198.51.100.0-198.51.100.7', 'ip:198.51.100.8-198.51.100.15', 'ip:203.0.113.0-203.0.113.127', 'other/db']);
  });
});

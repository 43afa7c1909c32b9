import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, type CompatMode } from '../../src/netpol/build.js';
import { NETPOL_ERRORS } from '../../src/netpol/errors.js';

/** Every invalid-policy error: its code, and the line and column of the field it names (the key, as core's locate gives it). */
const NP = (spec: string, name = 'p'): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ns
spec:
${spec}`;
const ANP = (spec: string, kind = 'AdminNetworkPolicy', name = 'a'): string => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
spec:
${spec}`;

const cases: { name: string; yaml: string; mode?: CompatMode; code: string; line: number; column: number }[] = [
  { name: 'bad label key', yaml: NP('  podSelector:\n    matchLabels:\n      app@b: x'), code: 'NETPOL_INVALID_SELECTOR', line: 9, column: 7 },
  { name: 'bad label value', yaml: NP('  podSelector:\n    matchLabels:\n      app: $x'), code: 'NETPOL_INVALID_SELECTOR', line: 9, column: 7 },
  { name: 'In without values', yaml: NP('  podSelector:\n    matchExpressions:\n    - key: app\n      operator: In'), code: 'NETPOL_INVALID_SELECTOR', line: 9, column: 7 },
  { name: 'unknown operator', yaml: NP('  podSelector:\n    matchExpressions:\n    - key: app\n      operator: Like'), code: 'NETPOL_INVALID_SELECTOR', line: 10, column: 7 },
  { name: 'empty peer', yaml: NP('  podSelector: {}\n  ingress:\n  - from:\n    - {}'), code: 'NETPOL_EMPTY_PEER', line: 10, column: 7 },
  { name: 'ipBlock with selector', yaml: NP('  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      podSelector: {}'), code: 'NETPOL_IPBLOCK_WITH_SELECTOR', line: 10, column: 7 },
  { name: 'bad cidr', yaml: NP('  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/40'), code: 'NETPOL_INVALID_CIDR', line: 11, column: 9 },
  { name: 'except outside cidr', yaml: NP('  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [11.0.0.0/8]'), code: 'NETPOL_EXCEPT_OUTSIDE_CIDR', line: 12, column: 18 },
  { name: 'endPort with named port', yaml: NP('  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n      endPort: 90'), code: 'NETPOL_ENDPORT_WITH_NAMED_PORT', line: 11, column: 7 },
  { name: 'endPort below port', yaml: NP('  podSelector: {}\n  ingress:\n  - ports:\n    - port: 10\n      endPort: 1'), code: 'NETPOL_INVALID_PORT_RANGE', line: 11, column: 7 },
  { name: 'port out of range', yaml: NP('  podSelector: {}\n  ingress:\n  - ports:\n    - port: 70000'), code: 'NETPOL_INVALID_PORT', line: 10, column: 7 },
  { name: 'unknown protocol', yaml: NP('  podSelector: {}\n  ingress:\n  - ports:\n    - protocol: ICMP'), code: 'NETPOL_INVALID_PROTOCOL', line: 10, column: 7 },
  { name: 'named port towards addresses (np-guard)', yaml: NP('  podSelector: {}\n  egress:\n  - ports:\n    - port: http'), mode: 'np-guard', code: 'NETPOL_NAMED_PORT_TO_IP', line: 9, column: 5 },
  { name: 'duplicate policy', yaml: `${NP('  podSelector: {}')}\n---\n${NP('  podSelector: {}')}`, code: 'NETPOL_DUPLICATE_NAME', line: 12, column: 3 },
  { name: 'ANP priority out of range', yaml: ANP('  priority: 1001\n  subject: {namespaces: {}}\n  ingress: []'), code: 'ANP_INVALID_PRIORITY', line: 6, column: 3 },
  { name: 'ANP subject with both fields', yaml: ANP('  priority: 1\n  subject:\n    namespaces: {}\n    pods: {}'), code: 'ANP_SUBJECT_FIELDS', line: 7, column: 3 },
  { name: 'ANP unknown action', yaml: ANP('  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Ok\n    from: [{namespaces: {}}]'), code: 'ANP_INVALID_ACTION', line: 9, column: 5 },
  { name: 'ANP rule without peers', yaml: ANP('  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Allow\n    to: []'), code: 'ANP_EMPTY_PEERS', line: 10, column: 5 },
  { name: 'ANP peer with two fields', yaml: ANP('  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Allow\n    to:\n    - {namespaces: {}, networks: [10.0.0.0/8]}'), code: 'ANP_PEER_FIELDS', line: 11, column: 7 },
  { name: 'ANP port with two fields', yaml: ANP('  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Allow\n    to: [{namespaces: {}}]\n    ports:\n    - {namedPort: http, portNumber: {port: 80}}'), code: 'ANP_PORT_FIELDS', line: 12, column: 7 },
  { name: 'BANP with Pass', yaml: ANP('  subject: {namespaces: {}}\n  ingress:\n  - action: Pass\n    from: [{namespaces: {}}]', 'BaselineAdminNetworkPolicy', 'default'), code: 'ANP_INVALID_ACTION', line: 8, column: 5 },
  { name: 'BANP not named default', yaml: ANP('  subject: {namespaces: {}}', 'BaselineAdminNetworkPolicy', 'other'), code: 'BANP_NAME_NOT_DEFAULT', line: 4, column: 3 },
  {
    name: 'two ANPs with one priority',
    yaml: `${ANP('  priority: 5\n  subject: {namespaces: {}}', 'AdminNetworkPolicy', 'a')}\n---\n${ANP('  priority: 5\n  subject: {namespaces: {}}', 'AdminNetworkPolicy', 'b')}`,
    code: 'ANP_DUPLICATE_PRIORITY',
    line: 12,
    column: 3,
  },
];

describe('invalid policies are errors with the position of the field', () => {
  for (const c of cases) {
    it(c.name, () => {
      const model = buildModel(loadText('in.yaml', c.yaml).resources, c.mode ?? 'cluster');
      expect(model.errors.map((e) => ({ code: e.code, line: e.location?.line, column: e.location?.column, errorClass: e.errorClass }))).toEqual([{ code: c.code, line: c.line, column: c.column, errorClass: 'fatal' }]);
    });
  }

  it('a namespace declared twice is fine with the same labels, and a warning with other labels; np-guard mode refuses it', () => {
    const ns = (labels: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n  labels: {${labels}}\n`;
    const same = buildModel(loadText('in.yaml', `${ns('team: a')}---\n${ns('team: a')}`).resources, 'cluster');
    expect([same.errors, same.warnings]).toEqual([[], []]);
    const other = buildModel(loadText('in.yaml', `${ns('team: a')}---\n${ns('team: b')}`).resources, 'cluster');
    expect(other.errors).toEqual([]);
    expect(other.warnings.map((w) => [w.code, w.location?.line])).toEqual([['NETPOL_NAMESPACE_LABELS_DIFFER', 11]]);
    expect(other.namespaces.get('ml')?.labels.team).toBe('a');
    const compat = buildModel(loadText('in.yaml', `${ns('team: a')}---\n${ns('team: a')}`).resources, 'np-guard');
    expect(compat.errors.map((e) => [e.code, e.location?.line, e.location?.column])).toEqual([['NETPOL_DUPLICATE_NAME', 10, 3]]);
  });

  it('a named port towards addresses is only a warning outside np-guard mode', () => {
    const model = buildModel(loadText('in.yaml', NP('  podSelector: {}\n  egress:\n  - ports:\n    - port: http')).resources, 'cluster');
    expect(model.errors).toEqual([]);
    expect(model.warnings.map((w) => w.code)).toEqual(['NETPOL_NAMED_PORT_TO_IP', 'NETPOL_CNI_NAMED_PORT']);
  });

  it('the default mode warns where CNIs differ, once per feature, at the first field using it', () => {
    const yaml = NP('  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, endPort: 90}\n    - {protocol: SCTP}\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}');
    const warnings = (mode: CompatMode) => buildModel(loadText('in.yaml', yaml).resources, mode).warnings.map((w) => [w.code, w.errorClass, w.location?.line]);
    expect(warnings('cluster')).toEqual([
      ['NETPOL_CNI_END_PORT', 'warning', 10],
      ['NETPOL_CNI_PROTOCOL_ONLY', 'warning', 11],
      ['NETPOL_CNI_SCTP', 'warning', 11],
      ['NETPOL_CNI_EXCEPT', 'warning', 13],
    ]);
    expect(warnings('np-guard')).toEqual([]);
  });

  it('an error says "missing" for an absent field and cuts a long value it echoes', () => {
    const errors = (yaml: string): string[] => buildModel(loadText('in.yaml', yaml).resources, 'cluster').errors.map((e) => `${e.code} ${e.location?.line}:${e.location?.column} ${e.message}`);
    expect(errors(ANP('  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - from: [{namespaces: {}}]'))).toEqual([`ANP_INVALID_ACTION 9:5 ${NETPOL_ERRORS.ANP_INVALID_ACTION}: missing`]);
    const long = 'x'.repeat(200);
    expect(errors(NP(`  podSelector: {}\n  ingress:\n  - ports:\n    - {protocol: ${long}}`))).toEqual([`NETPOL_INVALID_PROTOCOL 10:8 ${NETPOL_ERRORS.NETPOL_INVALID_PROTOCOL}: got "${'x'.repeat(79)}…`]);
  });

  it('valid policies (every field used correctly) produce no error', () => {
    const yaml = NP(`  podSelector:
    matchExpressions: [{key: app, operator: NotIn, values: [a]}]
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: x}}
      podSelector: {}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {port: 80, endPort: 90}
    - {port: http, protocol: TCP}
    - {protocol: SCTP}
  egress:
  - to: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: db}]`);
    expect(buildModel(loadText('in.yaml', yaml).resources, 'np-guard').errors).toEqual([]);
  });
});

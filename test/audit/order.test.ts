import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadText } from '../../src/core/load.js';
import { evaluateResources } from '../../src/pss/resources.js';

// Random pods and namespaces from a small space of security settings; the PSS verdicts must not
// depend on the order of the documents in the stream.
const securityContext = fc.record(
  {
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000),
    allowPrivilegeEscalation: fc.boolean(),
    privileged: fc.boolean(),
    capabilities: fc.constantFrom({ drop: ['ALL'] }, { add: ['NET_RAW'] }, {}),
    seccompProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Unconfined' }),
  },
  { requiredKeys: [] },
);
const pod = (i: number) =>
  fc.record({
    namespace: fc.constantFrom('a', 'b', 'c'),
    hostNetwork: fc.boolean(),
    podContext: securityContext,
    containers: fc.array(securityContext, { minLength: 1, maxLength: 3 }),
  }).map(({ namespace, hostNetwork, podContext, containers }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace },
    spec: { hostNetwork, securityContext: podContext, containers: containers.map((sc, k) => ({ name: `c${k}`, image: 'x', securityContext: sc })) },
  }));
const namespace = (name: string) =>
  fc.option(fc.record({ enforce: fc.constantFrom('privileged', 'baseline', 'restricted'), version: fc.constantFrom('v1.20', 'v1.30', 'latest') }), { nil: undefined }).map((labels) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: labels ? { 'pod-security.kubernetes.io/enforce': labels.enforce, 'pod-security.kubernetes.io/enforce-version': labels.version } : {} },
  }));

const stream = (objects: unknown[]): string => objects.map((o) => stringify(o)).join('---\n');
const verdicts = (text: string) =>
  evaluateResources(loadText('s.yaml', text).resources)
    .results.map((r) => `${r.resource.name} ${r.level}:${r.version} ${r.allowed} ${r.violations.map((v) => v.check).join(',')}`)
    .sort();

describe('PSS over a stream of documents', () => {
  it('gives the same verdicts whatever the document order', () => {
    const objects = fc.tuple(fc.tuple(pod(0), pod(1), pod(2), pod(3)), fc.tuple(namespace('a'), namespace('b'))).map(([pods, nss]) => [...pods, ...nss]);
    fc.assert(
      fc.property(objects.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))), ([original, shuffled]) => {
        expect(verdicts(stream(shuffled))).toEqual(verdicts(stream(original)));
      }),
      { numRuns: 150 },
    );
  });
});

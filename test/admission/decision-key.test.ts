import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionKeyText } from '../../src/admission/decisionKey.js';
import type { AdmissionRequest } from '../../src/admission/types.js';

/**
 * A decision-cache key may bring together only requests that no decision tells apart: what the
 * API server fills in per request and per object (uids, timestamps, a generated name, dryRun)
 * leaves the key as it is, and a change to anything else (labels, the spec, the user, the
 * operation, the subresource, the namespace and its labels, the day) gives another key.
 */
type Mutable = AdmissionRequest & { object: Record<string, unknown> & { metadata: Record<string, unknown>; spec: Record<string, unknown> } };

const text = fc.string({ maxLength: 8 });
const base = fc.record({
  generateName: fc.constantFrom('web-', 'triton-predictor-'),
  suffix: fc.stringMatching(/^[a-z0-9]{5}$/),
  labels: fc.dictionary(text, text, { maxKeys: 3 }),
  spec: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  username: text,
  namespace: text,
  operation: fc.constantFrom('CREATE', 'UPDATE'),
  subResource: fc.option(fc.constantFrom('ephemeralcontainers', 'status'), { nil: undefined }),
});

function request(b: { generateName: string; suffix: string; labels: Record<string, string>; spec: Record<string, unknown>; username: string; namespace: string; operation: string; subResource: string | undefined }): Mutable {
  const name = b.generateName + b.suffix;
  return {
    uid: 'req-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    ...(b.subResource !== undefined ? { subResource: b.subResource } : {}),
    name,
    namespace: b.namespace,
    operation: b.operation as AdmissionRequest['operation'],
    userInfo: { username: b.username },
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, generateName: b.generateName, labels: { ...b.labels } }, spec: structuredClone(b.spec) },
    oldObject: null,
    dryRun: false,
  } as Mutable;
}

const key = (r: AdmissionRequest, labelsJson = '[]', today = '2026-12-07', nameMatters = false): string => decisionKeyText(r, labelsJson, today, nameMatters);

describe('decisionKeyText', () => {
  it('is the same for requests that differ only in what the API server fills in per request and per object', () => {
    const volatile = fc.record({ uid: text, suffix: fc.stringMatching(/^[a-z0-9]{5}$/), objectUid: text, timestamp: text, resourceVersion: text, generation: fc.nat(), managedFields: fc.jsonValue({ maxDepth: 1 }), dryRun: fc.boolean(), options: fc.jsonValue({ maxDepth: 1 }) });
    fc.assert(
      fc.property(base, volatile, (b, v) => {
        const first = request(b);
        const second = request({ ...b, suffix: v.suffix });
        Object.assign(second, { uid: v.uid, dryRun: v.dryRun, options: v.options });
        Object.assign(second.object.metadata, { uid: v.objectUid, creationTimestamp: v.timestamp, resourceVersion: v.resourceVersion, generation: v.generation, managedFields: v.managedFields, selfLink: v.timestamp });
        expect(key(second)).toBe(key(first));
      }),
      { numRuns: 500 },
    );
  });

  it('differs when anything a decision reads differs', () => {
    const change = fc.constantFrom('label', 'spec', 'user', 'operation', 'subresource', 'namespace', 'namespace labels', 'day', 'name an exemption matches', 'a name not generated');
    fc.assert(
      fc.property(base, change, text, (b, what, value) => {
        const first = request(b);
        const second = request(b);
        let args: [string?, string?, boolean?] = [];
        if (what === 'label') second.object.metadata.labels = { ...b.labels, [`changed-${value}`]: value };
        if (what === 'spec') second.object.spec = { ...b.spec, [`changed-${value}`]: value };
        if (what === 'user') second.userInfo = { username: `${b.username}!` };
        if (what === 'operation') second.operation = b.operation === 'CREATE' ? 'UPDATE' : 'CREATE';
        if (what === 'subresource') second.subResource = `${b.subResource ?? ''}x`;
        if (what === 'namespace') second.namespace = `${b.namespace}x`;
        if (what === 'namespace labels') args = ['[["pod-security.kubernetes.io/enforce","restricted"]]'];
        if (what === 'day') args = [undefined, '2026-12-08'];
        if (what === 'name an exemption matches') {
          second.name = second.object.metadata.name = `${b.generateName}other`;
          args = [undefined, undefined, true];
          expect(key(second, ...args)).not.toBe(key(first, ...args));
          return;
        }
        if (what === 'a name not generated') {
          first.name = first.object.metadata.name = 'fixed-one';
          second.name = second.object.metadata.name = 'fixed-two';
        }
        expect(key(second, ...args)).not.toBe(key(first));
      }),
      { numRuns: 500 },
    );
  });

  it('is the JSON of the day, labels, the rest of the request, the name and the stable objects', () => {
    const pod = request({ generateName: 'web-', suffix: 'a1b2c', labels: { app: 'x' }, spec: {}, username: 'alice', namespace: 'ml', operation: 'CREATE', subResource: undefined });
    pod.object.metadata.uid = 'u-1';
    expect(key(pod)).toBe('["2026-12-07","[]",{"kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"namespace":"ml","operation":"CREATE","userInfo":{"username":"alice"}},"",{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-","labels":{"app":"x"}},"spec":{}},null]');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionKeyText } from '../../src/admission/decisionKey.js';
import type { AdmissionRequest } from '../../src/admission/types.js';
import { isPlainObject } from '../../src/core/object.js';

/**
 * decisionKeyText writes the key field by field; the oracle is the text it replaces, built from
 * copies of the request and objects with the unkeyed fields deleted. Equal texts for every request
 * means the cache keeps exactly the same sharing: nothing that was apart comes together.
 */
const VOLATILE = ['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'managedFields', 'selfLink'];

function oracle(request: AdmissionRequest, labelsJson: string, today: string, nameMatters: boolean): string {
  const { uid: _uid, dryRun: _dryRun, options: _options, object, oldObject, name, ...rest } = request;
  const metadata = object?.metadata;
  const generated = !nameMatters && isPlainObject(metadata) && typeof metadata.generateName === 'string' && metadata.generateName !== '' && (metadata.name === undefined || (typeof metadata.name === 'string' && metadata.name.startsWith(metadata.generateName)));
  const stable = (o: Record<string, unknown> | null | undefined): unknown => {
    if (!o || !isPlainObject(o.metadata)) return o ?? null;
    const copy: Record<string, unknown> = { ...o.metadata };
    for (const field of VOLATILE) delete copy[field];
    if (generated) delete copy.name;
    return { ...o, metadata: copy };
  };
  return JSON.stringify([today, labelsJson, rest, generated ? '' : (name ?? ''), stable(object), stable(oldObject)]);
}

const value = fc.jsonValue({ maxDepth: 2 });
const metadata = fc.record(
  {
    name: fc.oneof(fc.constantFrom('web-', 'web-x1', 'other'), value),
    generateName: fc.oneof(fc.constantFrom('web-', ''), value),
    uid: fc.string(),
    creationTimestamp: fc.string(),
    resourceVersion: fc.string(),
    generation: fc.integer(),
    managedFields: value,
    selfLink: fc.string(),
    labels: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    namespace: fc.string(),
  },
  { requiredKeys: [] },
);
const object = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: fc.oneof(metadata, value), spec: value, status: value }, { requiredKeys: [] }),
);
const request = fc.record(
  {
    uid: fc.string(),
    kind: fc.record({ group: fc.constant(''), version: fc.constant('v1'), kind: fc.constantFrom('Pod', 'Deployment') }),
    resource: fc.record({ group: fc.constant(''), version: fc.constant('v1'), resource: fc.constantFrom('pods', 'deployments') }),
    subResource: fc.constantFrom('ephemeralcontainers', 'status'),
    requestSubResource: fc.string(),
    name: fc.oneof(fc.constantFrom('web-x1', 'other'), fc.constant(undefined)),
    namespace: fc.string(),
    operation: fc.constantFrom('CREATE', 'UPDATE'),
    userInfo: fc.record({ username: fc.string(), groups: fc.array(fc.string(), { maxLength: 2 }) }, { requiredKeys: [] }),
    object,
    oldObject: object,
    dryRun: fc.boolean(),
    options: value,
    extra: value,
  },
  { requiredKeys: ['uid', 'kind', 'resource', 'operation', 'userInfo'] },
);

describe('decisionKeyText', () => {
  it('is the JSON of the request, labels and day without the unkeyed fields, as the copies gave it', () => {
    fc.assert(
      fc.property(request, fc.string(), fc.constantFrom('2026-12-07', '2026-12-08'), fc.boolean(), (r, labels, today, nameMatters) => {
        const req = r as unknown as AdmissionRequest;
        expect(decisionKeyText(req, labels, today, nameMatters)).toBe(oracle(req, labels, today, nameMatters));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out a generated name and the per-object metadata, and keeps everything else', () => {
    const pod = (name: string, uid: string, label: string): AdmissionRequest =>
      ({ uid: `req-${uid}`, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, name, namespace: 'ml', operation: 'CREATE', userInfo: { username: 'alice' }, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, generateName: 'web-', uid, creationTimestamp: uid, labels: { app: label } }, spec: {} }, dryRun: uid === '2' }) as AdmissionRequest;
    const key = (r: AdmissionRequest, nameMatters = false): string => decisionKeyText(r, '[]', '2026-12-07', nameMatters);
    expect(key(pod('web-a1', '1', 'x'))).toBe(key(pod('web-b2', '2', 'x')));
    expect(key(pod('web-a1', '1', 'x'))).not.toBe(key(pod('web-a1', '1', 'y')));
    expect(key(pod('web-a1', '1', 'x'), true)).not.toBe(key(pod('web-b2', '2', 'x'), true));
    // JSON may hold a "__proto__" key: an own field like any other.
    const proto = JSON.parse('{"uid":"u","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"operation":"CREATE","userInfo":{},"object":{"metadata":{"__proto__":{"a":1},"uid":"x"},"__proto__":2}}') as AdmissionRequest;
    expect(key(proto)).toBe(oracle(proto, '[]', '2026-12-07', false));
    expect(key(proto)).toContain('{"metadata":{"__proto__":{"a":1}},"__proto__":2}');
    expect(key(pod('web-a1', '1', 'x'))).toBe('["2026-12-07","[]",{"kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"namespace":"ml","operation":"CREATE","userInfo":{"username":"alice"}},"",{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-","labels":{"app":"x"}},"spec":{}},null]');
  });
});

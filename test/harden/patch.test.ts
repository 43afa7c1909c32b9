import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { hardenObjectPatch, toJsonPatch } from '../../src/harden/index.js';
import { clone, setAt, type PlainObject } from '../../src/harden/objects.js';
import { workload } from './arbitraries.js';

/** The webhook's view: the same plan as an RFC 6902 patch, which applied gives the hardened object. */
describe('JSON Patch', () => {
  it('adds a missing parent whole, replaces what exists, appends with /-', () => {
    const pod = { spec: { containers: [{ name: 'a', securityContext: { privileged: true } }], volumes: [{ name: 'v' }] } };
    expect(
      toJsonPatch(pod, [
        { pointer: '/spec/securityContext/runAsNonRoot', value: true },
        { pointer: '/spec/securityContext/seccompProfile/type', value: 'RuntimeDefault' },
        { pointer: '/spec/containers/0/securityContext/privileged', value: false },
        { pointer: '/spec/volumes/1', value: { name: 'tmp', emptyDir: {} } },
        { pointer: '/spec/containers/0/volumeMounts', value: [{ name: 'tmp', mountPath: '/tmp' }] },
      ]),
    ).toEqual([
      { op: 'add', path: '/spec/securityContext', value: { runAsNonRoot: true } },
      { op: 'add', path: '/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } },
      { op: 'replace', path: '/spec/containers/0/securityContext/privileged', value: false },
      { op: 'add', path: '/spec/volumes/-', value: { name: 'tmp', emptyDir: {} } },
      { op: 'add', path: '/spec/containers/0/volumeMounts', value: [{ name: 'tmp', mountPath: '/tmp' }] },
    ]);
  });

  it('applied to the object, equals the object with the changes set', () => {
    fc.assert(
      fc.property(workload, (object) => {
        const { patch, plans } = hardenObjectPatch(clone(object) as PlainObject);
        const expected = clone(object) as PlainObject;
        for (const change of plans.flatMap((p) => p.changes)) setAt(expected, change.pointer, clone(change.value));
        const validation = jsonpatch.validate(patch as jsonpatch.Operation[], clone(object));
        expect(validation).toBeUndefined();
        const patched = jsonpatch.applyPatch(clone(object), patch as jsonpatch.Operation[], true, false).newDocument;
        expect(patched).toEqual(expected);
        // Hardening the patched object again needs no patch.
        expect(hardenObjectPatch(patched as PlainObject).patch).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INHERITED_FIELDS, mergeSecurityContext } from '../../../src/checks/securityContext.js';

const FIELDS = [...INHERITED_FIELDS, 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities', 'procMount', 'fsGroup', 'sysctls'] as const;

describe('mergeSecurityContext', () => {
  it('pod settings count for the container unless it overrides them, and say where they were set', () => {
    const view = mergeSecurityContext({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000 }, '/spec/securityContext', { name: 'app', securityContext: { runAsUser: 0 } }, '/spec/containers/0');
    expect(view.get('runAsNonRoot')).toEqual({ value: true, path: '/spec/securityContext/runAsNonRoot', from: 'pod' });
    expect(view.get('runAsUser')).toEqual({ value: 0, path: '/spec/containers/0/securityContext/runAsUser', from: 'container' });
    // fsGroup applies to volumes, not to the container's own context
    expect(view.get('fsGroup')).toBeUndefined();
    expect(view.containerPath).toBe('/spec/containers/0/securityContext');
  });

  it('container-only fields written on the pod are not inherited, but are visible as ignored', () => {
    const view = mergeSecurityContext({ readOnlyRootFilesystem: true }, '/spec/securityContext', { name: 'app' }, '/spec/containers/0');
    expect(view.get('readOnlyRootFilesystem')).toBeUndefined();
    expect(view.podLevelOnly('readOnlyRootFilesystem')).toEqual({ value: true, path: '/spec/securityContext/readOnlyRootFilesystem', from: 'pod' });
    expect(view.containerPath).toBe('/spec/containers/0');
  });

  // Oracle: the Kubernetes rule written the naive way, field by field.
  const oracle = (pod: Record<string, unknown>, container: Record<string, unknown>, field: string): unknown => {
    if (container[field] !== undefined && container[field] !== null) return container[field];
    if ((INHERITED_FIELDS as readonly string[]).includes(field) && pod[field] !== undefined && pod[field] !== null) return pod[field];
    return undefined;
  };
  const context = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 70000 }), fc.constant(null)), { maxKeys: FIELDS.length });

  it('agrees with the naive oracle on every field (property)', () => {
    fc.assert(
      fc.property(context, fc.option(context, { nil: undefined }), (pod, own) => {
        const container = own === undefined ? { name: 'c' } : { name: 'c', securityContext: own };
        const view = mergeSecurityContext(pod, '/p', container, '/c');
        for (const field of FIELDS) {
          const expected = oracle(pod, own ?? {}, field);
          const setting = view.get(field);
          expect(setting?.value).toEqual(expected);
          if (setting) expect(setting.path).toBe(setting.from === 'pod' ? `/p/${field}` : `/c/securityContext/${field}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { goQuote, joinQuote, sortedUnique } from '../../src/pss/helpers.js';
import { decodePodSpec, deepest, visitContainers } from '../../src/pss/podSpec.js';

describe('wording helpers', () => {
  it.each([
    ['unconfined', '"unconfined"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\u0007\u0001\u007f', '"\\n\\t\\r\\a\\x01\\x7f"'],
    ['é 😀', '"é 😀"'],
    ['\u00a0\u200b\u2028', '"\\u00a0\\u200b\\u2028"'],
  ])('goQuote(%j) is Go\'s %%q: %s', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });

  it('joinQuote quotes each item and leaves the empty list empty', () => {
    expect(joinQuote(['a', 'b'])).toBe('"a", "b"');
    expect(joinQuote([])).toBe('');
  });

  it('sortedUnique sorts in byte order, as Go does, and drops repeats', () => {
    expect(sortedUnique(['b', 'B', 'a', 'b', '10', '9'])).toEqual(['10', '9', 'B', 'a', 'b']);
  });
});

describe('decodePodSpec', () => {
  it('defaults a volume without a source to emptyDir, as the API server does', () => {
    const spec = decodePodSpec({ volumes: [{ name: 'a' }, { name: 'b', hostPath: null }, { name: 'c', hostPath: { path: '/' } }] });
    expect(spec.volumes?.map((v) => [...(v?.sources ?? [])])).toEqual([['emptyDir'], ['emptyDir'], ['hostPath']]);
  });

  it('keeps list positions when an item is not an object, and visits init, regular, then ephemeral containers', () => {
    const spec = decodePodSpec({ containers: ['x', { name: 'b' }], initContainers: [{ name: 'a' }], ephemeralContainers: [{ name: 'c' }] });
    expect(visitContainers(spec).map(({ container, pointer }) => `${container.name}@${pointer}`)).toEqual(['a@/initContainers/0', 'b@/containers/1', 'c@/ephemeralContainers/0']);
  });

  it('drops values of the wrong type, as Go\'s decoder would refuse them', () => {
    const spec = decodePodSpec({ hostNetwork: 'true', hostPID: 1, hostIPC: true, securityContext: { runAsUser: '0', runAsNonRoot: true }, containers: [{ name: 7, securityContext: 'privileged' }] });
    expect(spec.hostNetwork).toBeUndefined();
    expect(spec.hostPID).toBeUndefined();
    expect(spec.hostIPC).toBe(true);
    expect(spec.securityContext?.runAsUser).toBeUndefined();
    expect(spec.securityContext?.runAsNonRoot).toBe(true);
    expect(spec.containers?.[0]?.name).toBeUndefined();
    expect(spec.containers?.[0]?.securityContext).toBeUndefined();
  });

  it('deepest() stops at the deepest key that exists', () => {
    const container = decodePodSpec({ containers: [{ name: 'a', securityContext: { capabilities: {} } }] }).containers![0]!;
    expect(deepest(container, '/containers/0', ['securityContext', 'capabilities', 'drop'])).toBe('/containers/0/securityContext/capabilities');
    expect(deepest(container, '/containers/0', ['lifecycle', 'preStop'])).toBe('/containers/0');
  });
});

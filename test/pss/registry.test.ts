import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/pss/checks/index.js';
import { createRegistry, validateChecks } from '../../src/pss/registry.js';
import type { CheckLevel, PssCheck, VersionedCheck } from '../../src/pss/types.js';

/** A check that always denies with reason `<id>:<version>`, as upstream's registry_test generateCheck. */
function generateCheck(id: string, level: CheckLevel, versions: string[], overrides?: string[]): PssCheck {
  return {
    id,
    level,
    title: id,
    description: id,
    versions: versions.map((minimumVersion): VersionedCheck => ({
      minimumVersion,
      evaluate: () => ({ allowed: false, reason: `${id}:${minimumVersion}` }),
      ...(overrides ? { overrides } : {}),
    })),
  };
}

function reasons(checks: PssCheck[], level: CheckLevel, minor: number): string[] {
  const meta = { annotations: new Map<string, string>() };
  return createRegistry(checks)
    .table(level, minor)
    .map((entry) => entry.evaluate(meta, {}).reason ?? '');
}

describe('registry validation', () => {
  it('accepts the real check list', () => {
    expect(validateChecks(ALL_CHECKS)).toEqual([]);
  });

  it('the real list is sorted by ID in byte order and every override names a baseline check', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const baseline = new Set(ALL_CHECKS.filter((c) => c.level === 'baseline').map((c) => c.id));
    for (const check of ALL_CHECKS) for (const v of check.versions) for (const o of v.overrides ?? []) expect(baseline.has(o), `${check.id} → ${o}`).toBe(true);
  });

  it.each([
    ['duplicate IDs', [generateCheck('a', 'baseline', ['v1.0']), generateCheck('a', 'baseline', ['v1.0'])], 'PSS_DUPLICATE_CHECK'],
    ['no versions', [generateCheck('a', 'baseline', [])], 'PSS_EMPTY_CHECK'],
    ['latest', [generateCheck('a', 'baseline', ['latest'])], 'PSS_BAD_VERSION'],
    ['a malformed version', [generateCheck('a', 'baseline', ['1.2'])], 'PSS_BAD_VERSION'],
    ['a repeated version', [generateCheck('a', 'baseline', ['v1.2', 'v1.2'])], 'PSS_VERSIONS_NOT_INCREASING'],
    ['decreasing versions', [generateCheck('a', 'baseline', ['v1.3', 'v1.2'])], 'PSS_VERSIONS_NOT_INCREASING'],
    ['a baseline check overriding', [generateCheck('b', 'baseline', ['v1.0']), generateCheck('a', 'baseline', ['v1.0'], ['b'])], 'PSS_BAD_OVERRIDE'],
    ['overriding a restricted check', [generateCheck('b', 'restricted', ['v1.0']), generateCheck('a', 'restricted', ['v1.0'], ['b'])], 'PSS_BAD_OVERRIDE'],
    ['overriding an unknown check', [generateCheck('a', 'restricted', ['v1.0'], ['nope'])], 'PSS_BAD_OVERRIDE'],
    ['the privileged level', [{ ...generateCheck('a', 'baseline', ['v1.0']), level: 'privileged' as CheckLevel }], 'PSS_BAD_LEVEL'],
  ])('rejects %s', (_name, checks, code) => {
    expect(validateChecks(checks).map((e) => e.code)).toEqual([code]);
    expect(() => createRegistry(checks)).toThrow(expect.objectContaining({ code }));
  });
});

describe('registry tables (upstream TestCheckRegistry)', () => {
  const checks = [
    generateCheck('a', 'baseline', ['v1.0']),
    generateCheck('b', 'baseline', ['v1.10']),
    generateCheck('c', 'baseline', ['v1.0', 'v1.5', 'v1.10']),
    generateCheck('d', 'baseline', ['v1.11', 'v1.15', 'v1.20']),
    generateCheck('e', 'restricted', ['v1.0']),
    generateCheck('f', 'restricted', ['v1.12', 'v1.16', 'v1.21']),
    generateCheck('g', 'restricted', ['v1.10'], ['a']),
    generateCheck('h', 'restricted', ['v1.0'], ['b']),
    {
      ...generateCheck('i', 'restricted', ['v1.10', 'v1.21']),
      versions: [
        { ...generateCheck('i', 'restricted', ['v1.10']).versions[0]!, overrides: ['c'] },
        { ...generateCheck('i', 'restricted', ['v1.21']).versions[0]!, overrides: ['d'] },
      ],
    },
  ];

  it.each([
    ['baseline', 0, ['a:v1.0', 'c:v1.0']],
    ['baseline', 4, ['a:v1.0', 'c:v1.0']],
    ['baseline', 5, ['a:v1.0', 'c:v1.5']],
    ['baseline', 10, ['a:v1.0', 'b:v1.10', 'c:v1.10']],
    ['baseline', 11, ['a:v1.0', 'b:v1.10', 'c:v1.10', 'd:v1.11']],
    ['baseline', 10000, ['a:v1.0', 'b:v1.10', 'c:v1.10', 'd:v1.20']],
    ['restricted', 0, ['a:v1.0', 'c:v1.0', 'e:v1.0', 'h:v1.0']],
    ['restricted', 5, ['a:v1.0', 'c:v1.5', 'e:v1.0', 'h:v1.0']],
    ['restricted', 10, ['e:v1.0', 'g:v1.10', 'h:v1.0', 'i:v1.10']],
    ['restricted', 11, ['d:v1.11', 'e:v1.0', 'g:v1.10', 'h:v1.0', 'i:v1.10']],
    ['restricted', 21, ['c:v1.10', 'e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0', 'i:v1.21']],
    ['restricted', 10000, ['c:v1.10', 'e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0', 'i:v1.21']],
  ] as const)('%s at minor %i', (level, minor, expected) => {
    expect(reasons(checks, level, minor)).toEqual(expected);
  });

  it('no checks, no tables', () => {
    expect(createRegistry([]).table('restricted', 37)).toEqual([]);
  });

  it('the real newest version is v1.37 (two more safe sysctls)', () => {
    expect(createRegistry(ALL_CHECKS).newestMinor).toBe(37);
  });

  it('the real restricted table: baseline IDs sorted minus overrides, then restricted IDs sorted', () => {
    const ids = (minor: number) => createRegistry(ALL_CHECKS).table('restricted', minor).map((e) => e.id);
    expect(ids(37)).toEqual([
      'appArmorProfile', 'hostNamespaces', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
      'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
    ]);
    expect(ids(0)).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
      'restrictedVolumes', 'runAsNonRoot',
    ]);
  });
});

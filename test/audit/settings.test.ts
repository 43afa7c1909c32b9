import { describe, expect, it } from 'vitest';
import { activeChecks } from '../../src/audit/settings.js';
import { parseConfig } from '../../src/core/config.js';
import { PalisadeError } from '../../src/core/errors.js';
import { CHECKS } from '../../src/checks/index.js';

const codeAndLocation = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PalisadeError) return { code: error.code, location: error.location };
    throw error;
  }
  return 'no error';
};

describe('checks: in .palisade.yaml', () => {
  it('enables every check by default with its own severity', () => {
    const active = activeChecks(parseConfig('c.yaml', ''));
    expect(active.enabled.size).toBe(CHECKS.length);
    expect(active.pod.length + active.resource.length + active.cluster.length).toBe(CHECKS.length);
  });

  it('disables checks, overrides severity and passes params', () => {
    const config = parseConfig('c.yaml', `checks:
  IMAGE_NOT_PINNED_BY_DIGEST: false
  PROBES_MISSING: {enabled: false}
  HOST_PORT: {severity: critical}
  IMAGE_REGISTRY_NOT_ALLOWED:
    params: {allowedRegistries: [registry.example.com]}
`);
    const active = activeChecks(config);
    expect(active.enabled.has('IMAGE_NOT_PINNED_BY_DIGEST')).toBe(false);
    expect(active.enabled.has('PROBES_MISSING')).toBe(false);
    expect(active.pod.find((a) => a.check.meta.id === 'HOST_PORT')?.severity).toBe('critical');
    expect(active.enabled.size).toBe(CHECKS.length - 2);
  });

  it('a bad param is CONFIG_INVALID at the offending field', () => {
    const config = parseConfig('c.yaml', `checks:
  RESOURCE_LIMITS_MISSING:
    params:
      resources: [gpu]
`);
    expect(codeAndLocation(() => activeChecks(config))).toEqual({ code: 'CONFIG_INVALID', location: { file: 'c.yaml', line: 4, column: 19 } });
  });

  it('an unknown param and an unknown check are CONFIG_INVALID too', () => {
    const unknownParam = parseConfig('c.yaml', `checks:
  SECRET_LITERAL:
    params: {ignoreName: [X]}
`);
    expect(codeAndLocation(() => activeChecks(unknownParam))).toEqual({ code: 'CONFIG_INVALID', location: { file: 'c.yaml', line: 3, column: 13 } });
    const unknownCheck = parseConfig('c.yaml', `checks:
  NO_SUCH_CHECK: false
`);
    expect(codeAndLocation(() => activeChecks(unknownCheck))).toEqual({ code: 'CONFIG_INVALID', location: { file: 'c.yaml', line: 2, column: 18 } });
  });

  it('exemptions need a reason and an ISO expiry', () => {
    expect(codeAndLocation(() => parseConfig('c.yaml', `exemptions:
- check: HOST_PORT
  reason: ""
`))).toEqual({ code: 'CONFIG_INVALID', location: { file: 'c.yaml', line: 3, column: 11 } });
    expect(codeAndLocation(() => parseConfig('c.yaml', `exemptions:
- check: HOST_PORT
  reason: legacy
  expires: 31/12/2026
`))).toEqual({ code: 'CONFIG_INVALID', location: { file: 'c.yaml', line: 4, column: 12 } });
  });
});

import { describe, expect, it } from 'vitest';
import { activeChecks } from '../../src/audit/settings.js';
import { parseConfig } from '../../src/core/config.js';
import { PalisadeError } from '../../src/core/errors.js';
import { CHECKS } from '../../src/checks/index.js';
import { catalogue } from '../../src/audit/catalogue.js';
import type { Finding } from '../../src/core/types.js';

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
    // Posture checks, PSS, Dockerfile and network lint: everything an audit of manifests can report.
    expect(active.enabled.size).toBe(catalogue().filter((e) => e.module !== 'image' && e.module !== 'verify').length);
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
    expect(active.enabled.size).toBe(catalogue().filter((e) => e.module !== 'image' && e.module !== 'verify').length - 2);
  });

  it('reaches the checks of other engines: PSS, Dockerfile rules and network lint', () => {
    const active = activeChecks(parseConfig('c.yaml', `checks:
  PSS_RESTRICTED_SECCOMP_PROFILE: false
  DOCKERFILE_NO_HEALTHCHECK: {enabled: false}
  NETPOL_MODEL_SERVER_EGRESS_ANYWHERE: {severity: high}
`));
    expect(['PSS_RESTRICTED_SECCOMP_PROFILE', 'DOCKERFILE_NO_HEALTHCHECK', 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE'].map((id) => active.enabled.has(id))).toEqual([false, false, true]);
    const finding = (checkId: string): Finding => ({ checkId, severity: 'medium', title: 't', message: 'm' });
    expect(active.adjust([finding('PSS_RESTRICTED_SECCOMP_PROFILE'), finding('DOCKERFILE_NO_HEALTHCHECK'), finding('NETPOL_MODEL_SERVER_EGRESS_ANYWHERE'), finding('PSS_RESTRICTED_CAPABILITIES')]).map((f) => `${f.checkId} ${f.severity}`)).toEqual([
      'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE high',
      'PSS_RESTRICTED_CAPABILITIES medium',
    ]);
    const withParams = parseConfig('c.yaml', 'checks:\n  PSS_BASELINE_PRIVILEGED:\n    params: {x: 1}\n');
    expect(codeAndLocation(() => activeChecks(withParams))).toEqual({ code: 'CONFIG_INVALID', location: { file: 'c.yaml', line: 3, column: 13 } });
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

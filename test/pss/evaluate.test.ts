import { describe, expect, it } from 'vitest';
import { createEvaluator, denialMessage, evaluatePodSpec, LATEST_VERSION, parseLevel, parseVersion, PSS_CHECKS, UNKNOWN_FORBIDDEN_REASON } from '../../src/pss/index.js';
import type { PssCheck } from '../../src/pss/index.js';

const restrictedPod = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

const insecurePod = {
  hostNetwork: true,
  containers: [{ name: 'x', image: 'x', securityContext: { privileged: true } }],
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
};

describe('parseLevel and parseVersion', () => {
  it.each([
    ['privileged', 'privileged'],
    ['baseline', 'baseline'],
    ['restricted', 'restricted'],
    ['Restricted', undefined],
    ['', undefined],
  ])('parseLevel(%j) = %j', (text, expected) => {
    expect(parseLevel(text)).toBe(expected);
  });

  it.each([
    ['latest', 'latest'],
    ['v1.0', 'v1.0'],
    ['v1.33', 'v1.33'],
    ['v1.99', 'v1.99'],
    ['v1.033', undefined],
    ['1.33', undefined],
    ['v2.0', undefined],
    ['v1.', undefined],
    ['Latest', undefined],
    [' v1.2', undefined],
    // Upstream reads the minor as a Go int (strconv.Atoi, 64 bits): up to 2^63 - 1, printed as written.
    ['v1.9007199254740993', 'v1.9007199254740993'],
    ['v1.9223372036854775807', 'v1.9223372036854775807'],
    ['v1.9223372036854775808', undefined],
    ['v1.99999999999999999999', undefined],
  ])('parseVersion(%j) = %j', (text, expected) => {
    expect(parseVersion(text)).toBe(expected);
  });

  it('LATEST_VERSION is v1.37', () => {
    expect(LATEST_VERSION).toBe('v1.37');
  });
});

describe('evaluatePodSpec', () => {
  it('allows a restricted pod, resolving latest', () => {
    expect(evaluatePodSpec({}, restrictedPod, { level: 'restricted', version: 'latest' })).toEqual({ level: 'restricted', version: 'v1.37', allowed: true, violations: [] });
  });

  it('reports violations in upstream order with reasons, details and fields', () => {
    const evaluation = evaluatePodSpec({}, insecurePod, { level: 'baseline', version: 'v1.30' });
    expect(evaluation).toEqual({
      level: 'baseline',
      version: 'v1.30',
      allowed: false,
      violations: [
        { check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true', fields: [{ in: 'spec', pointer: '/hostNetwork' }] },
        { check: 'hostPathVolumes', reason: 'hostPath volumes', detail: 'volume "root"', fields: [{ in: 'spec', pointer: '/volumes/0/hostPath' }] },
        { check: 'privileged', reason: 'privileged', detail: 'container "x" must not set securityContext.privileged=true', fields: [{ in: 'spec', pointer: '/containers/0/securityContext/privileged' }] },
      ],
    });
  });

  it('formats the denial as the API server does', () => {
    const evaluation = evaluatePodSpec({}, insecurePod, { level: 'restricted', version: 'latest' });
    expect(denialMessage(evaluation)).toBe(
      'violates PodSecurity "restricted:v1.37": host namespaces (hostNetwork=true), privileged (container "x" must not set securityContext.privileged=true), ' +
        'allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), ' +
        'restricted volume types (volume "root" uses restricted volume type "hostPath"), ' +
        'runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('an allowed evaluation has no denial message', () => {
    expect(denialMessage(evaluatePodSpec({}, restrictedPod, { level: 'restricted', version: 'v1.37' }))).toBe('');
  });

  it('privileged allows anything', () => {
    expect(evaluatePodSpec({}, insecurePod, { level: 'privileged', version: 'v1.5' })).toEqual({ level: 'privileged', version: 'v1.5', allowed: true, violations: [] });
  });

  it('versions newer than any check use the newest table and keep their name', () => {
    const newer = evaluatePodSpec({}, insecurePod, { level: 'restricted', version: 'v1.99' });
    const latest = evaluatePodSpec({}, insecurePod, { level: 'restricted', version: 'latest' });
    expect(newer).toEqual({ ...latest, version: 'v1.99' });
  });

  it('a bad level or version evaluates as restricted:latest, like a bad namespace label', () => {
    const evaluation = evaluatePodSpec({}, insecurePod, { level: 'strict' as never, version: 'v9' });
    expect(evaluation.level).toBe('restricted');
    expect(evaluation.version).toBe('v1.37');
    expect(evaluation.violations.map((v) => v.check)).toContain('runAsNonRoot');
  });

  it('reads legacy annotations from the pod metadata', () => {
    const evaluation = evaluatePodSpec({ annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }, { containers: [{ name: 'a' }] }, { level: 'baseline', version: 'v1.18' });
    expect(evaluation.violations).toEqual([
      {
        check: 'seccompProfile_baseline',
        reason: 'seccompProfile',
        detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
        fields: [{ in: 'metadata', pointer: '/annotations/seccomp.security.alpha.kubernetes.io~1pod' }],
      },
    ]);
  });

  it.each([null, undefined, 42, 'pod', [], [{ containers: [] }], { containers: 'x' }, { containers: [null, 3, 'c'] }, { securityContext: [] }, { volumes: {} }])(
    'odd spec %j never throws and has no containers to judge',
    (spec) => {
      expect(evaluatePodSpec({}, spec, { level: 'restricted', version: 'latest' })).toEqual({ level: 'restricted', version: 'v1.37', allowed: true, violations: [] });
    },
  );

  it('odd metadata never throws', () => {
    expect(evaluatePodSpec({ annotations: 'x' } as never, restrictedPod, { level: 'restricted', version: 'latest' }).allowed).toBe(true);
    expect(evaluatePodSpec(null as never, restrictedPod, { level: 'restricted', version: 'latest' }).allowed).toBe(true);
  });
});

describe('createEvaluator', () => {
  it('a check that denies without a reason gets upstream\'s placeholder', () => {
    const silent: PssCheck = { id: 'silent', level: 'baseline', title: 's', description: 's', versions: [{ minimumVersion: 'v1.0', evaluate: () => ({ allowed: false }) }] };
    const evaluation = createEvaluator([silent]).evaluatePodSpec({}, {}, { level: 'baseline', version: 'latest' });
    expect(evaluation).toEqual({ level: 'baseline', version: 'v1.0', allowed: false, violations: [{ check: 'silent', reason: UNKNOWN_FORBIDDEN_REASON, detail: '', fields: [] }] });
    expect(denialMessage(evaluation)).toBe('violates PodSecurity "baseline:v1.0": unknown forbidden reason');
  });
});

describe('PSS_CHECKS', () => {
  it('lists the 19 upstream checks with their levels and versions', () => {
    expect(PSS_CHECKS.map(({ id, level, versions }) => `${level} ${id} ${versions.join(',')}`)).toEqual([
      'restricted allowPrivilegeEscalation v1.8,v1.25',
      'baseline appArmorProfile v1.0',
      'baseline capabilities_baseline v1.0',
      'restricted capabilities_restricted v1.22,v1.25',
      'baseline hostNamespaces v1.0',
      'baseline hostPathVolumes v1.0',
      'baseline hostPorts v1.0',
      'baseline hostProbesAndHostLifecycle v1.34',
      'baseline privileged v1.0',
      'baseline procMount v1.0,v1.35',
      'restricted procMount_restricted v1.35',
      'restricted restrictedVolumes v1.0',
      'restricted runAsNonRoot v1.0,v1.35',
      'restricted runAsUser v1.23,v1.35',
      'baseline seLinuxOptions v1.0,v1.31',
      'baseline seccompProfile_baseline v1.0,v1.19',
      'restricted seccompProfile_restricted v1.19,v1.25',
      'baseline sysctls v1.0,v1.27,v1.29,v1.32,v1.37',
      'baseline windowsHostProcess v1.0',
    ]);
    for (const check of PSS_CHECKS) {
      expect(check.title.length, check.id).toBeGreaterThan(0);
      expect(check.description.length, check.id).toBeGreaterThan(0);
    }
  });
});

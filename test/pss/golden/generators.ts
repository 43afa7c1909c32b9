import { BASELINE_CAPABILITIES_1_0 } from '../../../src/pss/checks/capabilities_baseline.js';
import { RESTRICTED_VOLUME_SOURCES } from '../../../src/pss/checks/restrictedVolumes.js';
import { SAFE_SYSCTLS } from '../../../src/pss/checks/sysctls.js';
import type { CheckLevel } from '../../../src/pss/types.js';
import { VOLUME_SOURCES } from '../../../src/pss/podSpec.js';
import { minorOf } from '../../../src/pss/version.js';

/**
 * Fixture generators in the manner of upstream's test/fixtures_*.go: a minimal valid pod per level
 * and version, and per check the tweaks that make it pass or fail. golden.test.ts renders what the
 * evaluator says about every generated pod to test/pss/testdata/, so wording drift shows as a diff.
 */

export interface Pod {
  annotations: Record<string, string>;
  spec: Spec;
}
type Json = Record<string, unknown>;
interface Spec extends Json {
  containers: Json[];
  initContainers: Json[];
  securityContext?: Json;
}
type Tweak = (pod: Pod) => void;

export interface Generator {
  check: string;
  /** First and last (exclusive) minor version the tweaks apply to. */
  since?: number;
  until?: number;
  /** Levels the pass tweaks hold at; fail tweaks must fail at every level that runs the check. */
  passLevels?: readonly CheckLevel[];
  pass: Tweak[];
  fail: Tweak[];
}

const containerNamed = (name: string): Json => ({ name, image: 'registry.k8s.io/pause' });
const securityContextOf = (container: Json): Json => (container.securityContext ??= {}) as Json;
const podSecurityContext = (pod: Pod): Json => (pod.spec.securityContext ??= {});
const allContainers = (pod: Pod): Json[] => [...pod.spec.initContainers, ...pod.spec.containers];
const onAll = (change: (securityContext: Json) => void): Tweak => (pod) => allContainers(pod).forEach((c) => change(securityContextOf(c)));
const onContainer = (change: (securityContext: Json) => void): Tweak => (pod) => change(securityContextOf(pod.spec.containers[0]!));
const onInit = (change: (securityContext: Json) => void): Tweak => (pod) => change(securityContextOf(pod.spec.initContainers[0]!));
const onPod = (change: (securityContext: Json) => void): Tweak => (pod) => change(podSecurityContext(pod));
const setSpec = (fields: Json): Tweak => (pod) => Object.assign(pod.spec, fields);
const annotate = (annotations: Record<string, string>): Tweak => (pod) => Object.assign(pod.annotations, annotations);
const both = (...tweaks: Tweak[]): Tweak => (pod) => tweaks.forEach((t) => t(pod));

/** The minimal pod each level accepts at a version: the restricted one grows as checks are added. */
export function minimalPod(level: CheckLevel, minor: number): Pod {
  const pod: Pod = { annotations: {}, spec: { containers: [containerNamed('container1')], initContainers: [containerNamed('initcontainer1')] } };
  if (level === 'baseline') return pod;
  onPod((sc) => (sc.runAsNonRoot = true))(pod);
  if (minor >= 8) onAll((sc) => (sc.allowPrivilegeEscalation = false))(pod);
  if (minor >= 19) onPod((sc) => (sc.seccompProfile = { type: 'RuntimeDefault' }))(pod);
  if (minor >= 22) onAll((sc) => (sc.capabilities = { drop: ['ALL'] }))(pod);
  return pod;
}

const safeSysctlsAt = (minor: number): string[] =>
  SAFE_SYSCTLS.filter((step) => (minorOf(step.minimumVersion) ?? 0) <= minor).flatMap((step) => step.added);

export const GENERATORS: readonly Generator[] = [
  {
    check: 'appArmorProfile',
    pass: [
      annotate({ 'container.apparmor.security.beta.kubernetes.io/container1': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/initcontainer1': 'localhost/foo' }),
      both(onPod((sc) => (sc.appArmorProfile = { type: 'RuntimeDefault' })), onContainer((sc) => (sc.appArmorProfile = { type: 'Localhost', localhostProfile: 'foo' }))),
    ],
    fail: [
      annotate({ 'container.apparmor.security.beta.kubernetes.io/container1': 'unconfined' }),
      onPod((sc) => (sc.appArmorProfile = { type: 'Unconfined' })),
      onInit((sc) => (sc.appArmorProfile = { type: 'Unconfined' })),
    ],
  },
  {
    check: 'capabilities_baseline',
    passLevels: ['baseline'],
    pass: [onAll((sc) => (sc.capabilities = { add: [...BASELINE_CAPABILITIES_1_0] }))],
    fail: [onContainer((sc) => (sc.capabilities = { add: ['NET_RAW'] })), onInit((sc) => (sc.capabilities = { add: ['SYS_ADMIN', 'CHOWN'] }))],
  },
  {
    check: 'hostNamespaces',
    pass: [setSpec({ hostNetwork: false, hostPID: false, hostIPC: false })],
    fail: [setSpec({ hostNetwork: true }), setSpec({ hostPID: true }), setSpec({ hostIPC: true })],
  },
  {
    check: 'hostPathVolumes',
    pass: [],
    fail: [setSpec({ volumes: [{ name: 'volume-hostpath', hostPath: { path: '/a' } }] }), setSpec({ volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'b', hostPath: { path: '/b' } }] })],
  },
  {
    check: 'hostPorts',
    pass: [(pod) => (pod.spec.containers[0]!.ports = [{ containerPort: 12345 }])],
    fail: [(pod) => (pod.spec.containers[0]!.ports = [{ containerPort: 12345, hostPort: 12345 }]), (pod) => (pod.spec.initContainers[0]!.ports = [{ containerPort: 80, hostPort: 8080 }])],
  },
  {
    check: 'hostProbesAndHostLifecycle',
    since: 34,
    pass: [(pod) => (pod.spec.containers[0]!.livenessProbe = { httpGet: { port: 8080 } })],
    fail: [
      (pod) => (pod.spec.containers[0]!.livenessProbe = { httpGet: { port: 8080, host: 'evil.example.com' } }),
      (pod) => (pod.spec.initContainers[0]!.lifecycle = { preStop: { tcpSocket: { port: 8080, host: '169.254.169.254' } } }),
    ],
  },
  {
    check: 'privileged',
    pass: [onAll((sc) => (sc.privileged = false))],
    fail: [onContainer((sc) => (sc.privileged = true)), onInit((sc) => (sc.privileged = true))],
  },
  {
    check: 'procMount',
    pass: [onAll((sc) => (sc.procMount = 'Default'))],
    fail: [onContainer((sc) => (sc.procMount = 'Unmasked')), both(setSpec({ hostUsers: true }), onInit((sc) => (sc.procMount = 'Unmasked')))],
  },
  { check: 'procMount', until: 35, pass: [], fail: [both(setSpec({ hostUsers: false }), onContainer((sc) => (sc.procMount = 'Unmasked')))] },
  { check: 'procMount', since: 35, passLevels: ['baseline'], pass: [both(setSpec({ hostUsers: false }), onAll((sc) => (sc.procMount = 'Unmasked')))], fail: [] },
  {
    check: 'seLinuxOptions',
    pass: [
      both(onPod((sc) => (sc.seLinuxOptions = { level: 's0:c1,c2' })), onContainer((sc) => (sc.seLinuxOptions = { type: 'container_t' })), onInit((sc) => (sc.seLinuxOptions = { type: 'container_init_t' }))),
      onContainer((sc) => (sc.seLinuxOptions = { type: 'container_kvm_t' })),
    ],
    fail: [
      onContainer((sc) => (sc.seLinuxOptions = { type: 'spc_t' })),
      onPod((sc) => (sc.seLinuxOptions = { user: 'system_u' })),
      onInit((sc) => (sc.seLinuxOptions = { role: 'system_r' })),
    ],
  },
  { check: 'seLinuxOptions', until: 31, pass: [], fail: [onContainer((sc) => (sc.seLinuxOptions = { type: 'container_engine_t' }))] },
  { check: 'seLinuxOptions', since: 31, pass: [onContainer((sc) => (sc.seLinuxOptions = { type: 'container_engine_t' }))], fail: [] },
  {
    check: 'seccompProfile_baseline',
    until: 19,
    pass: [annotate({ 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/container1': 'localhost/foo' })],
    fail: [annotate({ 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }), annotate({ 'container.seccomp.security.alpha.kubernetes.io/initcontainer1': 'unconfined' })],
  },
  {
    check: 'seccompProfile_baseline',
    since: 19,
    pass: [onContainer((sc) => (sc.seccompProfile = { type: 'Localhost', localhostProfile: 'foo' }))],
    fail: [onPod((sc) => (sc.seccompProfile = { type: 'Unconfined' })), onInit((sc) => (sc.seccompProfile = { type: 'Unconfined' }))],
  },
  {
    check: 'sysctls',
    pass: [],
    fail: [onPod((sc) => (sc.sysctls = [{ name: 'othersysctl', value: 'other' }]))],
  },
  ...SAFE_SYSCTLS.map(({ minimumVersion }, index): Generator => {
    const since = minorOf(minimumVersion) ?? 0;
    const until = minorOf(SAFE_SYSCTLS[index + 1]?.minimumVersion ?? '') ?? undefined;
    return { check: 'sysctls', since, ...(until === undefined ? {} : { until }), pass: [onPod((sc) => (sc.sysctls = safeSysctlsAt(since).map((name) => ({ name, value: '0' }))))], fail: [] };
  }),
  {
    check: 'windowsHostProcess',
    pass: [onAll((sc) => (sc.windowsOptions = { hostProcess: false }))],
    fail: [onContainer((sc) => (sc.windowsOptions = { hostProcess: true })), onPod((sc) => (sc.windowsOptions = { hostProcess: true }))],
  },
  {
    check: 'allowPrivilegeEscalation',
    since: 8,
    pass: [],
    fail: [onContainer((sc) => delete sc.allowPrivilegeEscalation), onInit((sc) => (sc.allowPrivilegeEscalation = true))],
  },
  { check: 'allowPrivilegeEscalation', since: 25, pass: [both(setSpec({ os: { name: 'windows' } }), onAll((sc) => delete sc.allowPrivilegeEscalation))], fail: [] },
  {
    check: 'capabilities_restricted',
    since: 22,
    pass: [onContainer((sc) => (sc.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }))],
    fail: [onContainer((sc) => (sc.capabilities = {})), onInit((sc) => (sc.capabilities = { drop: ['ALL'], add: ['CHOWN'] }))],
  },
  {
    check: 'restrictedVolumes',
    pass: [setSpec({ volumes: [...[...RESTRICTED_VOLUME_SOURCES].map((source) => ({ name: `volume-${source.toLowerCase()}`, [source]: {} })), { name: 'volume-defaulted' }] })],
    fail: VOLUME_SOURCES.filter((source) => !RESTRICTED_VOLUME_SOURCES.has(source)).map((source) => setSpec({ volumes: [{ name: `volume-${source.toLowerCase()}`, [source]: {} }] })),
  },
  {
    check: 'runAsNonRoot',
    pass: [both(onPod((sc) => delete sc.runAsNonRoot), onAll((sc) => (sc.runAsNonRoot = true)))],
    fail: [onPod((sc) => delete sc.runAsNonRoot), onPod((sc) => (sc.runAsNonRoot = false)), onContainer((sc) => (sc.runAsNonRoot = false))],
  },
  { check: 'runAsNonRoot', until: 35, pass: [], fail: [both(setSpec({ hostUsers: false }), onPod((sc) => delete sc.runAsNonRoot))] },
  { check: 'runAsNonRoot', since: 35, pass: [both(setSpec({ hostUsers: false }), onPod((sc) => delete sc.runAsNonRoot))], fail: [] },
  {
    check: 'runAsUser',
    since: 23,
    pass: [both(onPod((sc) => (sc.runAsUser = 1000)), onContainer((sc) => (sc.runAsUser = 1001)))],
    fail: [onPod((sc) => (sc.runAsUser = 0)), onInit((sc) => (sc.runAsUser = 0))],
  },
  { check: 'runAsUser', since: 35, pass: [both(setSpec({ hostUsers: false }), onPod((sc) => (sc.runAsUser = 0)))], fail: [] },
  {
    check: 'seccompProfile_restricted',
    since: 19,
    pass: [both(onPod((sc) => delete sc.seccompProfile), onAll((sc) => (sc.seccompProfile = { type: 'RuntimeDefault' })))],
    fail: [onPod((sc) => delete sc.seccompProfile), onPod((sc) => (sc.seccompProfile = { type: 'Unconfined' })), onContainer((sc) => (sc.seccompProfile = { type: 'Unconfined' }))],
  },
  { check: 'procMount_restricted', since: 35, pass: [], fail: [both(setSpec({ hostUsers: false }), onContainer((sc) => (sc.procMount = 'Unmasked')))] },
];

export interface GeneratedCase {
  name: string;
  check: string | null;
  expect: 'allowed' | 'denied';
  pod: Pod;
}

/** Every generated pod for a level and minor version: the minimal pod, then each check's pass and fail variants. */
export function generateCases(level: CheckLevel, minor: number, checkLevel: (id: string) => CheckLevel | undefined): GeneratedCase[] {
  const cases: GeneratedCase[] = [{ name: 'base', check: null, expect: 'allowed', pod: minimalPod(level, minor) }];
  const counters = new Map<string, { pass: number; fail: number }>();
  for (const generator of GENERATORS) {
    const owner = checkLevel(generator.check);
    if (owner === undefined) throw new Error(`generator for unknown check ${generator.check}`);
    if (owner === 'restricted' && level === 'baseline') continue;
    if (minor < (generator.since ?? 0) || minor >= (generator.until ?? Infinity)) continue;
    const count = counters.get(generator.check) ?? { pass: 0, fail: 0 };
    counters.set(generator.check, count);
    const build = (tweak: Tweak): Pod => {
      const pod = structuredClone(minimalPod(level, minor));
      tweak(pod);
      return pod;
    };
    if (generator.passLevels === undefined || generator.passLevels.includes(level)) {
      for (const tweak of generator.pass) cases.push({ name: `${generator.check.toLowerCase()}/pass${count.pass++}`, check: generator.check, expect: 'allowed', pod: build(tweak) });
    }
    for (const tweak of generator.fail) cases.push({ name: `${generator.check.toLowerCase()}/fail${count.fail++}`, check: generator.check, expect: 'denied', pod: build(tweak) });
  }
  return cases;
}

import fc from 'fast-check';

/**
 * Pods for property tests: every field a PSS check reads, each drawn from a small set of good,
 * bad and odd values (including wrong types), so that random pods hit every check and both verdicts.
 */

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const bool = maybe(fc.oneof(fc.boolean(), fc.constant('true')));
const profile = maybe(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined', '') }, { requiredKeys: [] }));
const seLinux = maybe(
  fc.record({ type: fc.constantFrom('', 'container_t', 'container_engine_t', 'spc_t'), user: fc.constantFrom('', 'u'), role: fc.constantFrom('', 'r') }, { requiredKeys: [] }),
);
const handler = maybe(fc.record({ httpGet: maybe(fc.record({ port: fc.constant(80), host: fc.constantFrom('', 'localhost', '10.0.0.1') }, { requiredKeys: ['port'] })) }, { requiredKeys: [] }));

const securityContext = maybe(
  fc.record(
    {
      privileged: bool,
      allowPrivilegeEscalation: bool,
      runAsNonRoot: bool,
      runAsUser: maybe(fc.constantFrom(0, 1000, 0.5)),
      procMount: maybe(fc.constantFrom('Default', 'Unmasked')),
      capabilities: maybe(
        fc.record({ add: maybe(fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'NET_RAW', 'SYS_ADMIN'])), drop: maybe(fc.subarray(['ALL', 'NET_RAW'])) }, { requiredKeys: [] }),
      ),
      seccompProfile: profile,
      appArmorProfile: profile,
      seLinuxOptions: seLinux,
      windowsOptions: maybe(fc.record({ hostProcess: bool }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);

export const containerArb = fc.record(
  {
    name: fc.constantFrom('a', 'b', 'c', 'd'),
    image: fc.constant('registry.k8s.io/pause'),
    securityContext,
    ports: maybe(fc.array(fc.record({ containerPort: fc.constant(8080), hostPort: maybe(fc.constantFrom(0, 80, 8080)) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 })),
    livenessProbe: handler,
    lifecycle: maybe(fc.record({ preStop: handler }, { requiredKeys: [] })),
  },
  { requiredKeys: ['name', 'image'] },
);

const volumeArb = fc
  .tuple(fc.constantFrom('v1', 'v2'), fc.constantFrom(undefined, 'emptyDir', 'hostPath', 'nfs', 'configMap', 'secret', 'gitRepo', 'image'))
  .map(([name, source]) => (source === undefined ? { name } : { name, [source]: {} }));

export const podSpecArb = fc.record(
  {
    hostNetwork: bool,
    hostPID: bool,
    hostIPC: bool,
    hostUsers: bool,
    os: maybe(fc.record({ name: fc.constantFrom('linux', 'windows') })),
    securityContext: maybe(
      fc.record(
        {
          runAsNonRoot: bool,
          runAsUser: maybe(fc.constantFrom(0, 1000)),
          seccompProfile: profile,
          appArmorProfile: profile,
          seLinuxOptions: seLinux,
          sysctls: maybe(fc.subarray(['kernel.shm_rmid_forced', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_notsent_lowat', 'kernel.msgmax']).map((names) => names.map((name) => ({ name, value: '1' })))),
        },
        { requiredKeys: [] },
      ),
    ),
    initContainers: maybe(fc.array(containerArb, { maxLength: 2 })),
    containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
    ephemeralContainers: maybe(fc.array(containerArb, { maxLength: 1 })),
    volumes: maybe(fc.array(volumeArb, { maxLength: 2 })),
  },
  { requiredKeys: ['containers'] },
);

export const annotationsArb = fc.dictionary(
  fc.constantFrom(
    'seccomp.security.alpha.kubernetes.io/pod',
    'container.seccomp.security.alpha.kubernetes.io/a',
    'container.apparmor.security.beta.kubernetes.io/b',
    'unrelated',
  ),
  fc.constantFrom('runtime/default', 'localhost/p', 'unconfined', ''),
  { maxKeys: 3 },
);

export const versionArb = fc.integer({ min: 0, max: 40 }).map((minor) => `v1.${minor}`);

/** JSON pointers are relative to the spec: drop undefined keys the way YAML never writes them. */
export function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

import { SAFE_SYSCTLS, sysctls } from '../../../src/pss/checks/sysctls.js';
import { versionOf, minorOf } from '../../../src/pss/version.js';
import { checkTable, type CheckCase } from '../harness.js';

const withSysctls = (...names: string[]) => ({ securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) } });

/** Each safe sysctl is forbidden in the version before it was added and allowed from that version on. */
const boundaryCases: CheckCase[] = SAFE_SYSCTLS.slice(1).flatMap(({ minimumVersion, added }) =>
  added.flatMap((name): CheckCase[] => [
    {
      name: `${name} before ${minimumVersion}`,
      version: versionOf((minorOf(minimumVersion) ?? 0) - 1),
      spec: withSysctls(name),
      expected: { reason: 'forbidden sysctls', detail: name, fields: ['/securityContext/sysctls/0/name'] },
    },
    { name: `${name} from ${minimumVersion}`, version: minimumVersion, spec: withSysctls(name), expected: 'allowed' },
  ]),
);

checkTable(sysctls, [
  { name: 'safe from v1.0', version: 'v1.0', spec: withSysctls('kernel.shm_rmid_forced', 'net.ipv4.ip_unprivileged_port_start'), expected: 'allowed' },
  {
    name: 'unsafe ones in written order',
    version: 'v1.0',
    spec: withSysctls('b', 'kernel.shm_rmid_forced', 'a'),
    expected: { reason: 'forbidden sysctls', detail: 'b, a', fields: ['/securityContext/sysctls/0/name', '/securityContext/sysctls/2/name'] },
  },
  { name: 'v1.37 adds tcp_slow_start_after_idle and tcp_notsent_lowat', spec: withSysctls('net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'), expected: 'allowed' },
  {
    name: 'a sysctl without a name',
    spec: { securityContext: { sysctls: [{ value: '1' }] } },
    expected: { reason: 'forbidden sysctls', detail: '', fields: ['/securityContext/sysctls/0'] },
  },
  ...boundaryCases,
]);

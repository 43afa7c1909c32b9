import { hostNamespaces } from '../../../src/pss/checks/hostNamespaces.js';
import { checkTable, container } from '../harness.js';

checkTable(hostNamespaces, [
  { name: 'all false', spec: { hostNetwork: false, hostPID: false, hostIPC: false, containers: [container('a')] }, expected: 'allowed' },
  {
    name: 'all three',
    spec: { hostIPC: true, hostPID: true, hostNetwork: true, containers: [container('a')] },
    expected: { reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true', fields: ['/hostNetwork', '/hostPID', '/hostIPC'] },
  },
  { name: 'hostPID only', spec: { hostPID: true }, expected: { reason: 'host namespaces', detail: 'hostPID=true', fields: ['/hostPID'] } },
]);

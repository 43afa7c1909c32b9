import { hostPorts } from '../../../src/pss/checks/hostPorts.js';
import { checkTable, container } from '../harness.js';

checkTable(hostPorts, [
  { name: 'no host ports, or 0', spec: { containers: [container('a', undefined, { ports: [{ containerPort: 1 }, { containerPort: 2, hostPort: 0 }] })] }, expected: 'allowed' },
  {
    name: 'one container, one port',
    spec: { containers: [container('a', undefined, { ports: [{ containerPort: 1 }] }), container('b', undefined, { ports: [{ containerPort: 1, hostPort: 20 }] })] },
    expected: { reason: 'hostPort', detail: 'container "b" uses hostPort 20', fields: ['/containers/1/ports/0/hostPort'] },
  },
  {
    name: 'ports listed once each, sorted as text',
    spec: {
      containers: [
        container('b', undefined, { ports: [{ containerPort: 1, hostPort: 10 }, { containerPort: 2, hostPort: 9 }] }),
        container('c', undefined, { ports: [{ containerPort: 1, hostPort: 10 }, { containerPort: 2, hostPort: 30 }] }),
      ],
    },
    expected: {
      reason: 'hostPort',
      detail: 'containers "b", "c" use hostPorts 10, 30, 9',
      fields: ['/containers/0/ports/0/hostPort', '/containers/0/ports/1/hostPort', '/containers/1/ports/0/hostPort', '/containers/1/ports/1/hostPort'],
    },
  },
  {
    name: 'ephemeral containers are visited',
    spec: { containers: [], ephemeralContainers: [container('dbg', undefined, { ports: [{ containerPort: 80, hostPort: 80 }] })] },
    expected: { reason: 'hostPort', detail: 'container "dbg" uses hostPort 80', fields: ['/ephemeralContainers/0/ports/0/hostPort'] },
  },
]);

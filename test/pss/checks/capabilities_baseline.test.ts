import { capabilities_baseline } from '../../../src/pss/checks/capabilities_baseline.js';
import { checkTable, container } from '../harness.js';

checkTable(capabilities_baseline, [
  { name: 'only default capabilities', spec: { containers: [container('a', { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'], drop: ['ALL'] } })] }, expected: 'allowed' },
  {
    name: 'two containers, values sorted and unique',
    spec: {
      containers: [
        container('a', { capabilities: { add: ['NET_RAW', 'CHOWN'] } }),
        container('b', { capabilities: { add: ['SYS_ADMIN', 'NET_RAW'] } }),
        container('c', { capabilities: { add: ['CHOWN'] } }),
      ],
    },
    expected: {
      reason: 'non-default capabilities',
      detail: 'containers "a", "b" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add',
      fields: ['/containers/0/securityContext/capabilities/add/0', '/containers/1/securityContext/capabilities/add/0', '/containers/1/securityContext/capabilities/add/1'],
    },
  },
]);

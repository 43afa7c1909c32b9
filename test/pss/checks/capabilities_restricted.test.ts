import { capabilities_restricted } from '../../../src/pss/checks/capabilities_restricted.js';
import { checkTable, container } from '../harness.js';

const mixed = {
  containers: [
    container('a', { capabilities: { add: ['FOO', 'BAR'] } }),
    container('b', { capabilities: { add: ['BAR', 'BAZ'] } }),
    container('c', { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } }),
  ],
};
const mixedExpected = {
  reason: 'unrestricted capabilities',
  detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
  fields: [
    '/containers/0/securityContext/capabilities',
    '/containers/0/securityContext/capabilities/add/0',
    '/containers/0/securityContext/capabilities/add/1',
    '/containers/1/securityContext/capabilities',
    '/containers/1/securityContext/capabilities/add/0',
    '/containers/1/securityContext/capabilities/add/1',
    '/containers/2/securityContext/capabilities/add/1',
  ],
};

checkTable(capabilities_restricted, [
  { name: 'drop ALL, add NET_BIND_SERVICE', spec: { containers: [container('a', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] }, expected: 'allowed' },
  { name: 'mixed (v1.22)', version: 'v1.22', spec: mixed, expected: mixedExpected },
  { name: 'mixed (v1.25)', spec: mixed, expected: mixedExpected },
  { name: 'windows pod is exempt from v1.25', spec: { os: { name: 'windows' }, containers: [container('a')] }, expected: 'allowed' },
  {
    name: 'windows pod before v1.25',
    version: 'v1.24',
    spec: { os: { name: 'windows' }, containers: [container('a')] },
    expected: { reason: 'unrestricted capabilities', detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]', fields: ['/containers/0'] },
  },
  {
    name: 'linux pod without securityContext',
    spec: { os: { name: 'linux' }, containers: [container('a', {})] },
    expected: { reason: 'unrestricted capabilities', detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]', fields: ['/containers/0/securityContext'] },
  },
  {
    name: 'drop list without ALL points at the list',
    spec: { containers: [container('a', { capabilities: { drop: ['NET_RAW'] } })] },
    expected: { reason: 'unrestricted capabilities', detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]', fields: ['/containers/0/securityContext/capabilities/drop'] },
  },
]);

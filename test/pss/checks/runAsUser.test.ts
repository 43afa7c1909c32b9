import { runAsUser } from '../../../src/pss/checks/runAsUser.js';
import { checkTable, container } from '../harness.js';

const mixed = { containers: [container('a'), container('b', { runAsUser: 1 }), container('c', { runAsUser: 0 })], initContainers: [container('d', { runAsUser: 0 })] };

checkTable(runAsUser, [
  { name: 'non-zero or unset', spec: { securityContext: { runAsUser: 1 }, containers: [container('a'), container('b', { runAsUser: 1000 })] }, expected: 'allowed' },
  {
    name: 'pod runAsUser 0',
    spec: { securityContext: { runAsUser: 0 }, containers: [container('a')] },
    expected: { reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0', fields: ['/securityContext/runAsUser'] },
  },
  {
    name: 'containers in visit order (v1.23)',
    version: 'v1.23',
    spec: mixed,
    expected: { reason: 'runAsUser=0', detail: 'containers "d", "c" must not set runAsUser=0', fields: ['/initContainers/0/securityContext/runAsUser', '/containers/2/securityContext/runAsUser'] },
  },
  {
    name: 'pod and container',
    spec: { securityContext: { runAsUser: 0 }, containers: [container('a', { runAsUser: 0 })] },
    expected: { reason: 'runAsUser=0', detail: 'pod and container "a" must not set runAsUser=0', fields: ['/securityContext/runAsUser', '/containers/0/securityContext/runAsUser'] },
  },
  { name: 'user namespace from v1.35', spec: { ...mixed, hostUsers: false }, expected: 'allowed' },
  { name: 'a float is not an int64 and is ignored', spec: { securityContext: { runAsUser: 0.5 } }, expected: 'allowed' },
]);

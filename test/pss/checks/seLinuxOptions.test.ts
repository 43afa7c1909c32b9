import { seLinuxOptions } from '../../../src/pss/checks/seLinuxOptions.js';
import { checkTable, container } from '../harness.js';

const engine = { containers: [container('a', { seLinuxOptions: { type: 'container_engine_t' } })] };

checkTable(seLinuxOptions, [
  {
    name: 'allowed types and a level',
    spec: { securityContext: { seLinuxOptions: { level: 's0:c1,c2' } }, containers: [container('a', { seLinuxOptions: { type: 'container_init_t' } }), container('b', { seLinuxOptions: { type: 'container_kvm_t', user: '' } })] },
    expected: 'allowed',
  },
  {
    name: 'pod and container, types, user and role',
    spec: {
      securityContext: { seLinuxOptions: { type: 'bar', user: 'u' } },
      containers: [container('a', { seLinuxOptions: { type: 'container_t' } }), container('b', { seLinuxOptions: { role: 'r', type: 'foo' } })],
    },
    expected: {
      reason: 'seLinuxOptions',
      detail: 'pod and container "b" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
      fields: ['/securityContext/seLinuxOptions/type', '/securityContext/seLinuxOptions/user', '/containers/1/securityContext/seLinuxOptions/type', '/containers/1/securityContext/seLinuxOptions/role'],
    },
  },
  {
    name: 'container_engine_t before v1.31',
    version: 'v1.30',
    spec: engine,
    expected: { reason: 'seLinuxOptions', detail: 'container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t"', fields: ['/containers/0/securityContext/seLinuxOptions/type'] },
  },
  { name: 'container_engine_t from v1.31', spec: engine, expected: 'allowed' },
]);

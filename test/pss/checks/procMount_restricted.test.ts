import { procMount_restricted } from '../../../src/pss/checks/procMount_restricted.js';
import { checkTable, container } from '../harness.js';

checkTable(procMount_restricted, [
  { name: 'Default in a user namespace', spec: { hostUsers: false, containers: [container('a', { procMount: 'Default' })] }, expected: 'allowed' },
  {
    name: 'unmasked in a user namespace is still refused',
    spec: { hostUsers: false, initContainers: [container('i', { procMount: 'Unmasked' })], containers: [container('a', { procMount: 'Unmasked' })] },
    expected: {
      reason: 'procMount',
      detail: 'containers "i", "a" must not set securityContext.procMount to "Unmasked"',
      fields: ['/initContainers/0/securityContext/procMount', '/containers/0/securityContext/procMount'],
    },
  },
]);

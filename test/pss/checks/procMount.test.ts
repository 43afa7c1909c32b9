import { procMount } from '../../../src/pss/checks/procMount.js';
import { checkTable, container } from '../harness.js';

const containers = [container('a'), container('b', {}), container('c', { procMount: 'Default' }), container('d', { procMount: 'Unmasked' }), container('e', { procMount: 'other' })];
const expected = {
  reason: 'procMount',
  detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
  fields: ['/containers/3/securityContext/procMount', '/containers/4/securityContext/procMount'],
};

checkTable(procMount, [
  { name: 'default or unset', spec: { containers: containers.slice(0, 3) }, expected: 'allowed' },
  { name: 'unmasked (v1.0)', version: 'v1.0', spec: { containers }, expected },
  { name: 'unmasked (v1.35)', spec: { containers }, expected },
  { name: 'unmasked with hostUsers: true', spec: { hostUsers: true, containers }, expected },
  { name: 'unmasked in a user namespace before v1.35', version: 'v1.34', spec: { hostUsers: false, containers }, expected },
  { name: 'unmasked in a user namespace from v1.35', spec: { hostUsers: false, containers }, expected: 'allowed' },
]);

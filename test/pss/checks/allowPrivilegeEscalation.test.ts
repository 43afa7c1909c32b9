import { allowPrivilegeEscalation } from '../../../src/pss/checks/allowPrivilegeEscalation.js';
import { checkTable, container } from '../harness.js';

const mixed = { containers: [container('a'), container('b', {}), container('c', { allowPrivilegeEscalation: true }), container('d', { allowPrivilegeEscalation: false })] };
const mixedExpected = {
  reason: 'allowPrivilegeEscalation != false',
  detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
  fields: ['/containers/0', '/containers/1/securityContext', '/containers/2/securityContext/allowPrivilegeEscalation'],
};

checkTable(allowPrivilegeEscalation, [
  { name: 'all false', spec: { containers: [container('d', { allowPrivilegeEscalation: false })] }, expected: 'allowed' },
  { name: 'mixed (v1.8)', version: 'v1.8', spec: mixed, expected: mixedExpected },
  { name: 'mixed (v1.25)', spec: mixed, expected: mixedExpected },
  { name: 'windows pod is exempt from v1.25', spec: { os: { name: 'windows' }, containers: [container('a')] }, expected: 'allowed' },
  {
    name: 'linux pod',
    spec: { os: { name: 'linux' }, containers: [container('a')] },
    expected: { reason: 'allowPrivilegeEscalation != false', detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false', fields: ['/containers/0'] },
  },
]);

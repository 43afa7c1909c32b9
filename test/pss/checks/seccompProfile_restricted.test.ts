import { seccompProfile_restricted } from '../../../src/pss/checks/seccompProfile_restricted.js';
import { checkTable, container } from '../harness.js';

const unset = { containers: [container('a'), container('b', { seccompProfile: { type: 'RuntimeDefault' } }), container('c', {})] };

checkTable(seccompProfile_restricted, [
  { name: 'a valid pod-level profile covers unset containers', spec: { securityContext: { seccompProfile: { type: 'Localhost' } }, containers: [container('a')] }, expected: 'allowed' },
  {
    name: 'containers without a profile',
    spec: unset,
    expected: {
      reason: 'seccompProfile',
      detail: 'pod or containers "a", "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      fields: ['/containers/0', '/containers/2/securityContext'],
    },
  },
  {
    name: 'explicit bad values win over unset containers',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [container('a'), container('b', { seccompProfile: { type: 'Unconfined' } })] },
    expected: {
      reason: 'seccompProfile',
      detail: 'pod and container "b" must not set securityContext.seccompProfile.type to "Unconfined"',
      fields: ['/securityContext/seccompProfile/type', '/containers/1/securityContext/seccompProfile/type'],
    },
  },
  { name: 'windows pods are exempt from v1.25', spec: { os: { name: 'windows' }, containers: [container('a')] }, expected: 'allowed' },
  {
    name: 'windows pods before v1.25',
    version: 'v1.24',
    spec: { os: { name: 'windows' }, containers: [container('a')] },
    expected: { reason: 'seccompProfile', detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"', fields: ['/containers/0'] },
  },
]);

import { privileged } from '../../../src/pss/checks/privileged.js';
import { checkTable, container } from '../harness.js';

checkTable(privileged, [
  { name: 'no securityContext or privileged=false', spec: { containers: [container('a'), container('b', {}), container('c', { privileged: false })] }, expected: 'allowed' },
  {
    name: 'one privileged init container',
    spec: { containers: [container('a'), container('c', { privileged: false })], initContainers: [container('d', { privileged: true })] },
    expected: { reason: 'privileged', detail: 'container "d" must not set securityContext.privileged=true', fields: ['/initContainers/0/securityContext/privileged'] },
  },
  {
    name: 'init container listed before regular and ephemeral containers',
    spec: {
      containers: [container('e', { privileged: true })],
      initContainers: [container('d', { privileged: true })],
      ephemeralContainers: [container('f', { privileged: true })],
    },
    expected: {
      reason: 'privileged',
      detail: 'containers "d", "e", "f" must not set securityContext.privileged=true',
      fields: ['/initContainers/0/securityContext/privileged', '/containers/0/securityContext/privileged', '/ephemeralContainers/0/securityContext/privileged'],
    },
  },
  { name: 'a string "true" is not a bool and is ignored', spec: { containers: [container('a', { privileged: 'true' })] }, expected: 'allowed' },
]);

import { runAsNonRoot } from '../../../src/pss/checks/runAsNonRoot.js';
import { checkTable, container } from '../harness.js';

const reason = 'runAsNonRoot != true';

checkTable(runAsNonRoot, [
  { name: 'pod level true covers unset containers', spec: { securityContext: { runAsNonRoot: true }, containers: [container('a')] }, expected: 'allowed' },
  { name: 'container level true', spec: { containers: [container('a', { runAsNonRoot: true })] }, expected: 'allowed' },
  {
    name: 'nothing set',
    spec: { containers: [container('a')] },
    expected: { reason, detail: 'pod or container "a" must set securityContext.runAsNonRoot=true', fields: ['/containers/0'] },
  },
  {
    name: 'pod false',
    spec: { securityContext: { runAsNonRoot: false }, containers: [container('a')] },
    expected: { reason, detail: 'pod must not set securityContext.runAsNonRoot=false', fields: ['/securityContext/runAsNonRoot'] },
  },
  {
    name: 'containers false',
    spec: { containers: [container('c', { runAsNonRoot: false }), container('d', { runAsNonRoot: false }), container('e', { runAsNonRoot: true })] },
    expected: { reason, detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false', fields: ['/containers/0/securityContext/runAsNonRoot', '/containers/1/securityContext/runAsNonRoot'] },
  },
  {
    name: 'pod and container false; explicit wins over implicit',
    spec: { securityContext: { runAsNonRoot: false }, containers: [container('a'), container('b', { runAsNonRoot: false })] },
    expected: { reason, detail: 'pod and container "b" must not set securityContext.runAsNonRoot=false', fields: ['/securityContext/runAsNonRoot', '/containers/1/securityContext/runAsNonRoot'] },
  },
  {
    name: 'some containers unset',
    spec: { containers: [container('a'), container('b', {}), container('c', { runAsNonRoot: true })] },
    expected: { reason, detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true', fields: ['/containers/0', '/containers/1/securityContext'] },
  },
  { name: 'user namespace from v1.35', spec: { hostUsers: false, containers: [container('a')] }, expected: 'allowed' },
  {
    name: 'user namespace before v1.35',
    version: 'v1.34',
    spec: { hostUsers: false, containers: [container('a')] },
    expected: { reason, detail: 'pod or container "a" must set securityContext.runAsNonRoot=true', fields: ['/containers/0'] },
  },
]);

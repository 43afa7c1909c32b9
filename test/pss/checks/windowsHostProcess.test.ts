import { windowsHostProcess } from '../../../src/pss/checks/windowsHostProcess.js';
import { checkTable, container } from '../harness.js';

checkTable(windowsHostProcess, [
  { name: 'hostProcess false', spec: { securityContext: { windowsOptions: { hostProcess: false } }, containers: [container('a', { windowsOptions: { hostProcess: false } })] }, expected: 'allowed' },
  {
    name: 'pod and two containers',
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [container('a', { windowsOptions: { hostProcess: false } }), container('e', { windowsOptions: { hostProcess: true } }), container('f', { windowsOptions: { hostProcess: true } })],
    },
    expected: {
      reason: 'hostProcess',
      detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
      fields: ['/securityContext/windowsOptions/hostProcess', '/containers/1/securityContext/windowsOptions/hostProcess', '/containers/2/securityContext/windowsOptions/hostProcess'],
    },
  },
  {
    name: 'container only',
    spec: { containers: [container('a', { windowsOptions: { hostProcess: true } })] },
    expected: { reason: 'hostProcess', detail: 'container "a" must not set securityContext.windowsOptions.hostProcess=true', fields: ['/containers/0/securityContext/windowsOptions/hostProcess'] },
  },
]);

import { hostProbesAndHostLifecycle } from '../../../src/pss/checks/hostProbesAndHostLifecycle.js';
import { checkTable, container } from '../harness.js';

const http = (host: string) => ({ httpGet: { port: 80, host } });
const tcp = (host: string) => ({ tcpSocket: { port: 80, host } });

checkTable(hostProbesAndHostLifecycle, [
  {
    name: 'unset and empty hosts',
    spec: { containers: [container('a', undefined, { livenessProbe: { httpGet: { port: 80 } }, readinessProbe: tcp(''), lifecycle: { postStart: { httpGet: { port: 80 } } } })] },
    expected: 'allowed',
  },
  {
    name: 'local host IPs as probe hosts',
    spec: { containers: [container('a', undefined, { livenessProbe: http('127.0.0.1'), readinessProbe: tcp('::1'), startupProbe: http('localhost') })] },
    expected: {
      reason: 'probe or lifecycle host',
      detail: 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
      fields: ['/containers/0/livenessProbe/httpGet/host', '/containers/0/readinessProbe/tcpSocket/host', '/containers/0/startupProbe/httpGet/host'],
    },
  },
  {
    name: 'prestop httpGet host',
    spec: { containers: [container('e', undefined, { lifecycle: { preStop: http('another.invalid.host') } })] },
    expected: { reason: 'probe or lifecycle host', detail: 'container "e" uses probe or lifecycle host "another.invalid.host"', fields: ['/containers/0/lifecycle/preStop/httpGet/host'] },
  },
  {
    name: 'containers and hosts come out sorted and unique',
    spec: {
      initContainers: [container('z', undefined, { startupProbe: tcp('b.com') })],
      containers: [container('valid'), container('invalid1', undefined, { livenessProbe: http('a.com') }), container('invalid2', undefined, { lifecycle: { preStop: tcp('b.com') }, startupProbe: http('a.com') })],
    },
    expected: {
      reason: 'probe or lifecycle host',
      detail: 'containers "invalid1", "invalid2", "z" use probe or lifecycle hosts "a.com", "b.com"',
      fields: ['/initContainers/0/startupProbe/tcpSocket/host', '/containers/1/livenessProbe/httpGet/host', '/containers/2/startupProbe/httpGet/host', '/containers/2/lifecycle/preStop/tcpSocket/host'],
    },
  },
]);

import { hostPathVolumes } from '../../../src/pss/checks/hostPathVolumes.js';
import { checkTable } from '../harness.js';

checkTable(hostPathVolumes, [
  { name: 'no hostPath', spec: { volumes: [{ name: 'c', emptyDir: {} }, { name: 'd' }] }, expected: 'allowed' },
  { name: 'hostPath: null is absent', spec: { volumes: [{ name: 'a', hostPath: null }] }, expected: 'allowed' },
  {
    name: 'two hostPath volumes',
    spec: { volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'b', hostPath: { path: '/b' } }, { name: 'c', emptyDir: {} }] },
    expected: { reason: 'hostPath volumes', detail: 'volumes "a", "b"', fields: ['/volumes/0/hostPath', '/volumes/1/hostPath'] },
  },
  {
    name: 'one hostPath volume after a malformed item',
    spec: { volumes: ['not-a-volume', { name: 'a', hostPath: {} }] },
    expected: { reason: 'hostPath volumes', detail: 'volume "a"', fields: ['/volumes/1/hostPath'] },
  },
]);

import { hostPathVolume } from '../../src/checks/workload/hostPathVolume.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(hostPathVolume, {
  valid: [
    {
      name: 'emptyDir, PVC and configMap volumes',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers: [{name: app, image: nginx:1.27}]
  volumes:
  - {name: tmp, emptyDir: {}}
  - {name: models, persistentVolumeClaim: {claimName: models}}
  - {name: conf, configMap: {name: conf}}
`,
    },
  ],
  invalid: [
    {
      name: 'hostPath model store',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: app, image: nginx:1.27}]
  volumes:
  - name: tmp
    emptyDir: {}
  - name: models
    hostPath:
      path: /var/lib/models
`,
      expected: [{ messageId: 'hostPath', data: { volume: 'models', hostPath: '/var/lib/models' }, path: '/spec/volumes/1/hostPath', line: 10, column: 5 }],
    },
  ],
});

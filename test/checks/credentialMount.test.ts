import { credentialMount } from '../../src/checks/workload/credentialMount.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(credentialMount, {
  valid: [
    {
      name: 'data hostPath (HOST_PATH_VOLUME judges it), secrets mounted elsewhere, projected tokens',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: train
    image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime
    volumeMounts:
    - {name: data, mountPath: /data}
    - {name: hf, mountPath: /var/run/secrets/hf}
    env:
    - {name: AWS_REGION, value: us-east-1}
  volumes:
  - {name: data, hostPath: {path: /mnt/datasets}}
  - {name: hf, secret: {secretName: hf}}
`,
    },
  ],
  invalid: [
    {
      name: 'docker socket, SSH keys, cloud key file',
      yaml: `apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      containers:
      - name: train
        image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime
        volumeMounts:
        - name: ssh
          mountPath: /root/.ssh
        env:
        - name: GOOGLE_APPLICATION_CREDENTIALS
          value: /secrets/gcp/key.json
      volumes:
      - name: docker
        hostPath: {path: /var/run/docker.sock}
      - name: ssh
        secret: {secretName: ssh-keys}
`,
      expected: [
        { messageId: 'hostPath', data: { volume: 'docker', hostPath: '/var/run/docker.sock', what: 'the container runtime socket' }, path: '/spec/template/spec/volumes/0/hostPath/path', line: 18, column: 20 },
        { messageId: 'credentialMount', data: { container: 'train', volume: 'ssh', mountPath: '/root/.ssh', what: 'SSH keys' }, path: '/spec/template/spec/containers/0/volumeMounts/0/mountPath', line: 12, column: 11 },
        { messageId: 'credentialFileEnv', data: { container: 'train', name: 'GOOGLE_APPLICATION_CREDENTIALS', file: '/secrets/gcp/key.json' }, path: '/spec/template/spec/containers/0/env/0/value', line: 15, column: 11 },
      ],
    },
  ],
});

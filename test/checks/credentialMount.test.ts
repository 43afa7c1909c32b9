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
    {
      name: "Node Feature Discovery's worker DaemonSet: /etc/kubernetes/node-feature-discovery holds feature hooks, not credentials",
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: dont-fire-nfd-worker, namespace: node-feature-discovery}
spec:
  template:
    spec:
      containers:
      - name: worker
        image: registry.k8s.io/nfd/node-feature-discovery:v0.16.4
        volumeMounts:
        - {name: source-d, mountPath: /etc/kubernetes/node-feature-discovery/source.d/}
        - {name: features-d, mountPath: /etc/kubernetes/node-feature-discovery/features.d/}
      volumes:
      - {name: source-d, hostPath: {path: /etc/kubernetes/node-feature-discovery/source.d/}}
      - {name: features-d, hostPath: {path: /etc/kubernetes/node-feature-discovery/features.d/}}
`,
    },
  ],
  invalid: [
    {
      name: "kubeadm's credentials: the whole /etc/kubernetes, its pki/, a .conf kubeconfig, static-pod manifests/",
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: busybox:1.36}]
  volumes:
  - {name: all, hostPath: {path: /etc/kubernetes/}}
  - {name: pki, hostPath: {path: /etc/kubernetes/pki}}
  - {name: admin, hostPath: {path: /etc/kubernetes/admin.conf, type: File}}
  - {name: manifests, hostPath: {path: /etc/kubernetes/manifests}}
`,
      expected: [
        { messageId: 'hostPath', data: { volume: 'all', hostPath: '/etc/kubernetes/', what: "the node's Kubernetes credentials" }, path: '/spec/volumes/0/hostPath/path', line: 7, column: 28 },
        { messageId: 'hostPath', data: { volume: 'pki', hostPath: '/etc/kubernetes/pki', what: "the node's Kubernetes credentials" }, path: '/spec/volumes/1/hostPath/path', line: 8, column: 28 },
        { messageId: 'hostPath', data: { volume: 'admin', hostPath: '/etc/kubernetes/admin.conf', what: "the node's Kubernetes credentials" }, path: '/spec/volumes/2/hostPath/path', line: 9, column: 30 },
        { messageId: 'hostPath', data: { volume: 'manifests', hostPath: '/etc/kubernetes/manifests', what: "the node's Kubernetes credentials" }, path: '/spec/volumes/3/hostPath/path', line: 10, column: 34 },
      ],
    },
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

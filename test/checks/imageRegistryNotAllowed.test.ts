import { imageRegistryNotAllowed } from '../../src/checks/workload/imageRegistryNotAllowed.js';
import { testCheck } from '../harness/checkTester.js';

const pod = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: own, image: registry.example.com/ml/server:1.0}
  - {name: ecr, image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/server:1.0}
  - {name: hub, image: vllm/vllm-openai:v0.6.3}
  - {name: library, image: redis:7.2}
`;

testCheck(imageRegistryNotAllowed, {
  valid: [
    { name: 'no allow-list configured: every registry is allowed', yaml: pod },
    {
      name: 'registries, path prefixes and globs',
      yaml: pod.replace('name: p', 'name: dont-fire'),
      params: { allowedRegistries: ['registry.example.com/ml', '*.dkr.ecr.*.amazonaws.com', 'docker.io/vllm', 'docker.io/library'] },
    },
  ],
  invalid: [
    {
      name: 'a path prefix does not allow a sibling path, and Docker Hub is docker.io',
      yaml: pod,
      params: { allowedRegistries: ['registry.example.com/ml-other', 'docker.io/library/'] },
      expected: [
        { messageId: 'notAllowed', data: { container: 'own', image: 'registry.example.com/ml/server:1.0', registry: 'registry.example.com' }, path: '/spec/containers/0/image', line: 6, column: 17 },
        { messageId: 'notAllowed', path: '/spec/containers/1/image', line: 7, column: 17 },
        { messageId: 'notAllowed', data: { container: 'hub', image: 'vllm/vllm-openai:v0.6.3', registry: 'docker.io' }, path: '/spec/containers/2/image', line: 8, column: 17 },
      ],
    },
  ],
});

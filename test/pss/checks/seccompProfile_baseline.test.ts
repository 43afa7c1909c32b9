import { seccompProfile_baseline } from '../../../src/pss/checks/seccompProfile_baseline.js';
import { checkTable, container } from '../harness.js';

checkTable(seccompProfile_baseline, [
  {
    name: 'allowed annotations',
    version: 'v1.18',
    spec: { containers: [container('a'), container('b')] },
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/a': 'docker/default', 'container.seccomp.security.alpha.kubernetes.io/b': 'localhost/x' },
    expected: 'allowed',
  },
  {
    name: 'unconfined annotations, sorted',
    version: 'v1.0',
    spec: { containers: [container('a'), container('b')] },
    annotations: {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/a': 'localhost/x',
      'container.seccomp.security.alpha.kubernetes.io/b': 'unconfined',
    },
    expected: {
      reason: 'seccompProfile',
      detail: 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/b="unconfined", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
      fields: [
        { in: 'metadata', pointer: '/annotations/seccomp.security.alpha.kubernetes.io~1pod' },
        { in: 'metadata', pointer: '/annotations/container.seccomp.security.alpha.kubernetes.io~1b' },
      ],
    },
  },
  {
    name: 'a value that needs Go quoting',
    version: 'v1.0',
    spec: {},
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'un"confined\n' },
    expected: {
      reason: 'seccompProfile',
      detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="un\\"confined\\n"',
      fields: [{ in: 'metadata', pointer: '/annotations/seccomp.security.alpha.kubernetes.io~1pod' }],
    },
  },
  {
    name: 'containers sharing a name share their annotation',
    version: 'v1.18',
    spec: { initContainers: [container('a')], containers: [container('a')] },
    annotations: { 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined' },
    expected: {
      reason: 'seccompProfile',
      detail: 'forbidden annotation container.seccomp.security.alpha.kubernetes.io/a="unconfined"',
      fields: [{ in: 'metadata', pointer: '/annotations/container.seccomp.security.alpha.kubernetes.io~1a' }],
    },
  },
  { name: 'annotations are ignored from v1.19', spec: {}, annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }, expected: 'allowed' },
  {
    name: 'pod and container fields',
    spec: {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [container('a', { seccompProfile: { type: 'RuntimeDefault' } }), container('b', { seccompProfile: { type: 'Foo' } }), container('c')],
    },
    expected: {
      reason: 'seccompProfile',
      detail: 'pod and container "b" must not set securityContext.seccompProfile.type to "Foo", "Unconfined"',
      fields: ['/securityContext/seccompProfile/type', '/containers/1/securityContext/seccompProfile/type'],
    },
  },
  {
    name: 'a profile without a type is Go\'s ""',
    spec: { containers: [container('a', { seccompProfile: {} })] },
    expected: { reason: 'seccompProfile', detail: 'container "a" must not set securityContext.seccompProfile.type to ""', fields: ['/containers/0/securityContext/seccompProfile'] },
  },
]);

import { appArmorProfile } from '../../../src/pss/checks/appArmorProfile.js';
import { checkTable, container } from '../harness.js';

checkTable(appArmorProfile, [
  {
    name: 'allowed fields and annotations',
    spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [container('a', { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] },
    annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'localhost/p', 'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/c': '' },
    expected: 'allowed',
  },
  {
    name: 'pod, container and annotation',
    spec: {
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [container('a', { appArmorProfile: { type: 'RuntimeDefault' } }), container('b', { appArmorProfile: { type: 'Foo' } })],
    },
    annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/b': 'localhost/ok', other: 'x' },
    expected: {
      reason: 'forbidden AppArmor profiles',
      detail: 'pod and container "b" and annotation must not set AppArmor profile type to "Foo", "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined""',
      fields: [
        '/securityContext/appArmorProfile/type',
        '/containers/1/securityContext/appArmorProfile/type',
        { in: 'metadata', pointer: '/annotations/container.apparmor.security.beta.kubernetes.io~1a' },
      ],
    },
  },
  {
    name: 'pod only',
    spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [] },
    expected: { reason: 'forbidden AppArmor profile', detail: 'pod must not set AppArmor profile type to "Unconfined"', fields: ['/securityContext/appArmorProfile/type'] },
  },
  {
    name: 'annotations only, for containers the pod does not have',
    spec: { containers: [container('a')] },
    annotations: { 'container.apparmor.security.beta.kubernetes.io/z': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/y': 'bad' },
    expected: {
      reason: 'forbidden AppArmor profiles',
      detail: 'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/y="bad"", "container.apparmor.security.beta.kubernetes.io/z="unconfined""',
      fields: [
        { in: 'metadata', pointer: '/annotations/container.apparmor.security.beta.kubernetes.io~1z' },
        { in: 'metadata', pointer: '/annotations/container.apparmor.security.beta.kubernetes.io~1y' },
      ],
    },
  },
]);

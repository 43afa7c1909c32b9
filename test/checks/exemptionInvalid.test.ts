import { exemptionInvalid } from '../../src/checks/exemption/exemptionInvalid.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(exemptionInvalid, {
  valid: [
    {
      name: 'reason given, future expiry, and no exemption at all (the harness pins today at 2026-06-01)',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: dont-fire
  annotations:
    palisade.dev/exempt: IMAGE_TAG_MUTABLE
    palisade.dev/exempt-reason: vendor image, ticket SEC-12
    palisade.dev/exempt-until: "2026-12-31"
spec:
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire-plain, annotations: {team: ml}}
spec:
  containers: [{name: app, image: nginx:1.27}]
`,
    },
  ],
  invalid: [
    {
      name: 'no reason, a date that is not ISO, an expired date',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: a
  annotations:
    palisade.dev/exempt: IMAGE_TAG_MUTABLE,SECRET_LITERAL
spec:
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata:
  name: b
  annotations:
    palisade.dev/exempt: HOST_PORT
    palisade.dev/exempt-reason: legacy
    palisade.dev/exempt-until: 31/12/2026
spec:
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata:
  name: c
  annotations:
    palisade.dev/exempt: HOST_PORT
    palisade.dev/exempt-reason: legacy
    palisade.dev/exempt-until: "2026-01-31"
spec:
  containers: [{name: app, image: nginx:1.27}]
`,
      expected: [
        { messageId: 'noReason', data: { exempt: 'palisade.dev/exempt', reasonKey: 'palisade.dev/exempt-reason', untilKey: 'palisade.dev/exempt-until', checks: 'IMAGE_TAG_MUTABLE,SECRET_LITERAL', until: '' }, path: '/metadata/annotations/palisade.dev~1exempt', line: 6, column: 5 },
        { messageId: 'badDate', path: '/metadata/annotations/palisade.dev~1exempt-until', line: 17, column: 5 },
        { messageId: 'expired', data: { exempt: 'palisade.dev/exempt', reasonKey: 'palisade.dev/exempt-reason', untilKey: 'palisade.dev/exempt-until', checks: 'HOST_PORT', until: '2026-01-31' }, path: '/metadata/annotations/palisade.dev~1exempt-until', line: 28, column: 5 },
      ],
    },
  ],
});

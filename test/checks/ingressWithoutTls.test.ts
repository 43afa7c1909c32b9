import { ingressWithoutTls } from '../../src/checks/cluster/ingressWithoutTls.js';
import { testCheck } from '../harness/checkTester.js';

const stack = `apiVersion: apps/v1
kind: Deployment
metadata: {name: tgi, namespace: ml}
spec:
  template:
    metadata: {labels: {app: tgi}}
    spec:
      containers:
      - {name: tgi, image: ghcr.io/huggingface/text-generation-inference:2.4.0}
---
apiVersion: v1
kind: Service
metadata: {name: tgi, namespace: ml}
spec:
  selector: {app: tgi}
  ports: [{port: 80, targetPort: 80}]
`;

const redis = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis, namespace: ml}
spec:
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
      - {name: redis, image: redis:7.2}
---
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: ml}
spec:
  selector: {app: redis}
  ports: [{port: 6379}]
`;

testCheck(ingressWithoutTls, {
  valid: [
    {
      name: 'TLS for the host; TLS without hosts covers all',
      yaml: `${stack}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dont-fire, namespace: ml}
spec:
  tls: [{hosts: [llm.example.com], secretName: llm-tls}]
  rules:
  - host: llm.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tgi, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dont-fire-all-hosts, namespace: ml}
spec:
  tls: [{secretName: wildcard}]
  rules:
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: docs, port: {number: 80}}}}]}
`,
    },
    {
      name: 'ingress-nginx ssl-passthrough: TLS end to end to the backend, no spec.tls needed',
      yaml: `${stack}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: dont-fire-passthrough
  namespace: ml
  annotations: {nginx.ingress.kubernetes.io/ssl-passthrough: "true"}
spec:
  rules:
  - host: llm.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tgi, port: {number: 80}}}}]}
`,
    },
    {
      name: 'an Ingress with rules but no http backends routes nothing',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dont-fire-empty, namespace: ml}
spec:
  rules:
  - host: empty.example.com
`,
    },
  ],
  invalid: [
    {
      name: 'no TLS, and TLS for another host, in front of a model server (high)',
      yaml: `${stack}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: plain, namespace: ml}
spec:
  rules:
  - host: llm.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tgi, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other-host, namespace: ml}
spec:
  tls: [{hosts: [www.example.com], secretName: www}]
  rules:
  - host: api.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tgi, port: {number: 80}}}}]}
`,
      expected: [
        { messageId: 'noTls', data: { ingress: 'plain', host: 'llm.example.com', server: 'Text Generation Inference', workload: 'Deployment "tgi"' }, path: '/spec/rules/0', line: 23, column: 5, severity: 'high' },
        { messageId: 'noTls', data: { ingress: 'other-host', host: 'api.example.com', server: 'Text Generation Inference', workload: 'Deployment "tgi"' }, path: '/spec/rules/0', line: 32, column: 5, severity: 'high' },
      ],
    },
    {
      name: 'any workload: Redis behind the Ingress, and a Service not in the input (medium)',
      yaml: `${redis}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: cache, namespace: ml}
spec:
  rules:
  - host: cache.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: redis, port: {number: 6379}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: docs, namespace: ml}
spec:
  defaultBackend: {service: {name: docs, port: {number: 80}}}
`,
      expected: [
        { messageId: 'noTlsWorkload', data: { ingress: 'cache', host: 'cache.example.com', service: 'redis', workloads: 'StatefulSet "redis"' }, path: '/spec/rules/0', line: 23, column: 5, severity: 'medium' },
        { messageId: 'noTlsService', data: { ingress: 'docs', host: 'every host', service: 'docs' }, path: '/spec/defaultBackend', line: 30, column: 3, severity: 'medium' },
      ],
    },
    {
      name: 'one finding per rule: a rule with a Redis path and a model-server path is reported once, as the model server (high)',
      yaml: `${stack}---
${redis}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: mixed, namespace: ml}
spec:
  rules:
  - host: app.example.com
    http:
      paths:
      - {path: /cache, pathType: Prefix, backend: {service: {name: redis, port: {number: 6379}}}}
      - {path: /v1, pathType: Prefix, backend: {service: {name: tgi, port: {number: 80}}}}
`,
      expected: [{ messageId: 'noTls', data: { ingress: 'mixed', host: 'app.example.com', server: 'Text Generation Inference', workload: 'Deployment "tgi"' }, path: '/spec/rules/0', line: 40, column: 5, severity: 'high' }],
    },
  ],
});

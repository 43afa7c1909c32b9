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

testCheck(ingressWithoutTls, {
  valid: [
    {
      name: 'TLS for the host; TLS without hosts covers all; no TLS in front of a non-model service',
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
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tgi, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dont-fire-docs, namespace: ml}
spec:
  rules:
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: docs, port: {number: 80}}}}]}
`,
    },
  ],
  invalid: [
    {
      name: 'no TLS, and TLS for another host',
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
        { messageId: 'noTls', data: { ingress: 'plain', host: 'llm.example.com', server: 'Text Generation Inference', workload: 'Deployment "tgi"' }, path: '/spec/rules/0', line: 23, column: 5 },
        { messageId: 'noTls', data: { ingress: 'other-host', host: 'api.example.com', server: 'Text Generation Inference', workload: 'Deployment "tgi"' }, path: '/spec/rules/0', line: 32, column: 5 },
      ],
    },
  ],
});

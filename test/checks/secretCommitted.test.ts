import { secretCommitted } from '../../src/checks/resource/secretCommitted.js';
import { testCheck } from '../harness/checkTester.js';

// Secret `data` is base64 (Kubernetes "Secrets": data values are base64-encoded strings,
// stringData is written as plain text and merged into data); ConfigMaps hold non-secret settings.
const b64 = (text: string): string => Buffer.from(text).toString('base64');

testCheck(secretCommitted, {
  valid: [
    {
      name: 'empty and placeholder Secrets; ConfigMaps of settings; Helm templates',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: dont-fire-empty}
type: Opaque
data: {token: ""}
---
apiVersion: v1
kind: Secret
metadata: {name: dont-fire-placeholders}
stringData:
  HF_TOKEN: "<your-hf-token>"
  password: "{{ .Values.password }}"
data:
  AWS_SECRET_ACCESS_KEY: ${b64('changeme')}
---
apiVersion: v1
kind: Secret
metadata: {name: dont-fire-sa-token, annotations: {kubernetes.io/service-account.name: model}}
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: ConfigMap
metadata: {name: dont-fire-settings}
data:
  MODEL_NAME: llama-3
  PASSWORD_MIN_LENGTH: "12"
  MLFLOW_TRACKING_URI: http://mlflow:5000
  app.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=\${DB_PASSWORD}
    server.port=8080
`,
    },
    {
      name: 'keys listed in ignoreKeys',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: dont-fire-ignored}
data: {CACHE_TOKEN: k8J2mQ9xZ4vB7nW1pL6sT3rY8}
`,
      params: { ignoreKeys: ['CACHE_TOKEN'] },
    },
  ],
  invalid: [
    {
      name: 'a Secret with data and stringData is one finding (low), keys listed',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: s3-creds, namespace: ml}
type: Opaque
stringData:
  AWS_ACCESS_KEY_ID: minio
data:
  AWS_SECRET_ACCESS_KEY: ${b64('minio123')}
  endpoint: ${b64('http://minio:9000')}
`,
      expected: [{ messageId: 'secret', data: { name: 's3-creds', field: 'stringData and data', keys: 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, endpoint' }, path: '/stringData', line: 5, column: 1, severity: 'low' }],
    },
    {
      name: 'a ConfigMap with a token, a password by name and an embedded config file with a URL password (high)',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: ml}
data:
  MODEL_NAME: llama-3
  HF_TOKEN: hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789
  db_password: abc123
  settings.env: |
    LOG_LEVEL=info
    DATABASE_URL=postgres://app:hunter22@db:5432/app
`,
      expected: [{ messageId: 'configMap', data: { name: 'app-config', keys: 'HF_TOKEN, db_password, settings.env' }, path: '/data/HF_TOKEN', line: 6, column: 3, severity: 'high' }],
    },
  ],
});

import { secretLiteral } from '../../src/checks/workload/secretLiteral.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(secretLiteral, {
  valid: [
    {
      name: 'secretKeyRef, placeholders, settings named like secrets, key files',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: app
    image: vllm/vllm-openai:v0.6.3
    args: ["--api-key", "$(VLLM_API_KEY)", "--hf-token-file=/var/run/secrets/hf/token"]
    env:
    - name: HF_TOKEN
      valueFrom: {secretKeyRef: {name: hf, key: token}}
    - {name: OPENAI_API_KEY, value: "\${OPENAI_API_KEY}"}
    - {name: WANDB_API_KEY, value: "<your-wandb-key>"}
    - {name: PASSWORD_MIN_LENGTH, value: "12"}
    - {name: TOKENIZERS_PARALLELISM, value: "false"}
    - {name: HF_TOKEN_PATH, value: /secrets/hf}
    - {name: MLFLOW_TRACKING_URI, value: "http://mlflow:5000"}
    - {name: AWS_ACCESS_KEY_ID, value: AKIAIOSFODNN7EXAMPLE}
    - {name: AWS_SECRET_ACCESS_KEY, value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}
    - {name: NGC_API_KEY, value: nvapi-NVKEY}
`,
    },
    {
      name: 'password settings, URLs without a password or with a placeholder one, PEM public keys',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire-passwords}
spec:
  containers:
  - name: app
    image: postgres:16
    command: ["sh", "-c", "psql --password=\${PGPASSWORD} && run --password-file=/run/secrets/pw"]
    env:
    - {name: PASSWORD_FILE, value: /run/secrets/db}
    - {name: DB_PASSWORD_SECRET, value: db-creds}
    - {name: REDIS_PASSWORD_ENABLED, value: "true"}
    - {name: POSTGRES_HOST_AUTH_METHOD, value: scram-sha-256}
    - {name: DB_PASSWORD, value: "\${DB_PASSWORD}"}
    - {name: DATABASE_URL, value: "postgres://app:\${DB_PASSWORD}@db:5432/app"}
    - {name: CACHE_URL, value: "redis://user:password@redis:6379/0"}
    - {name: MODEL_STORE, value: "https://models.example.com/iris"}
    - {name: SIGNING_CERT, value: "-----BEGIN PUBLIC KEY-----"}
`,
    },
    {
      name: 'names listed in ignoreNames',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire-ignored}
spec:
  containers:
  - name: app
    image: nginx:1.27
    env: [{name: CACHE_TOKEN, value: "k8J2mQ9xZ4vB7nW1pL6sT3rY8"}]
`,
      params: { ignoreNames: ['CACHE_TOKEN'] },
    },
  ],
  invalid: [
    {
      name: 'known names, token formats under any name, random values under secret names, flags; values masked',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: vllm/vllm-openai:v0.6.3
    command: ["sh", "-c", "vllm serve org/model --api-key sk-proj-abcdefghijklmnopqrstuvwx"]
    args: ["--token", "s3cr3t-Value-9xQ"]
    env:
    - name: AWS_SECRET_ACCESS_KEY
      value: q7Lr2/XvN9bKp4TzW8mYc3JhF6sD1gAeR5uQ0oPi
    - name: MODEL_DOWNLOADER
      value: hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789
    - name: CACHE_TOKEN
      value: k8J2mQ9xZ4vB7nW1pL6sT3rY8
`,
      expected: [
        { messageId: 'envKnownName', data: { container: 'app', name: 'AWS_SECRET_ACCESS_KEY', masked: 'q7Lr************' }, path: '/spec/containers/0/env/0/value', line: 12, column: 7 },
        { messageId: 'envTokenFormat', data: { container: 'app', name: 'MODEL_DOWNLOADER', masked: 'hf_a************', format: 'Hugging Face token' }, path: '/spec/containers/0/env/1/value', line: 14, column: 7 },
        { messageId: 'envEntropy', data: { container: 'app', name: 'CACHE_TOKEN', masked: 'k8J2************' }, path: '/spec/containers/0/env/2/value', line: 16, column: 7 },
        { messageId: 'argument', data: { container: 'app', flag: '--api-key', masked: 'sk-p************' }, path: '/spec/containers/0/command/2', line: 8, column: 27 },
        { messageId: 'argument', data: { container: 'app', flag: '--token', masked: 's3cr************' }, path: '/spec/containers/0/args/0', line: 9, column: 12 },
      ],
    },
    {
      name: 'the classes below the entropy gate: AWS_ACCESS_KEY_ID (alone; beside its secret half it is one finding), passwords by name and shape, URLs with a password, PEM keys however many dashes',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: python:3.12
    command: ["sh", "-c", "export my_password=abc123 && python app.py"]
    env:
    - {name: AWS_ACCESS_KEY_ID, value: minioadmin}
    - {name: DB_PASSWORD, value: abc123}
    - {name: DATABASE_URL, value: "postgresql://app:hunter22@db.internal:5432/features"}
    - {name: TLS_KEY, value: "----BEGIN EC PRIVATE KEY----"}
    - {name: PGPASSWORD, value: pg}
  - name: s3
    image: amazon/aws-cli:2.17.0
    env:
    - {name: AWS_ACCESS_KEY_ID, value: minioadmin}
    - {name: AWS_SECRET_ACCESS_KEY, value: minio123}
`,
      expected: [
        { messageId: 'envKnownName', data: { container: 'app', name: 'AWS_ACCESS_KEY_ID', masked: 'mini******' }, path: '/spec/containers/0/env/0/value', line: 10, column: 33 },
        { messageId: 'envPassword', data: { container: 'app', name: 'DB_PASSWORD', masked: '******' }, path: '/spec/containers/0/env/1/value', line: 11, column: 27 },
        { messageId: 'envCredentialUrl', data: { container: 'app', name: 'DATABASE_URL', masked: 'postgresql://app:********@db.internal:5432/features' }, path: '/spec/containers/0/env/2/value', line: 12, column: 28 },
        { messageId: 'envTokenFormat', data: { container: 'app', name: 'TLS_KEY', masked: '----************', format: 'private key' }, path: '/spec/containers/0/env/3/value', line: 13, column: 23 },
        { messageId: 'envKnownName', data: { container: 'app', name: 'PGPASSWORD', masked: '**' }, path: '/spec/containers/0/env/4/value', line: 14, column: 26 },
        { messageId: 'argument', data: { container: 'app', flag: 'my_password', masked: '******' }, path: '/spec/containers/0/command/2', line: 8, column: 27 },
        // One credential, one finding: the key id beside its literal secret half is not reported again.
        { messageId: 'envKnownName', data: { container: 's3', name: 'AWS_SECRET_ACCESS_KEY', masked: '********' }, path: '/spec/containers/1/env/1/value', line: 19, column: 37 },
      ],
    },
  ],
});

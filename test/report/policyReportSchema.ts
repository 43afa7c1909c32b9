/**
 * The openAPIV3Schema of the wgpolicyk8s.io/v1alpha2 PolicyReport and ClusterPolicyReport CRDs
 * (kubernetes-sigs/wg-policy-prototypes, policy-report/apis/wgpolicyk8s.io/v1alpha2 and
 * policy-report/crd/v1alpha2), trimmed to the fields palisade writes, and closed with
 * additionalProperties: false so a misspelt field fails instead of being pruned by the API server.
 */
const objectReference = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
    fieldPath: { type: 'string' },
    resourceVersion: { type: 'string' },
  },
};

const result = {
  type: 'object',
  additionalProperties: false,
  required: ['policy'],
  properties: {
    source: { type: 'string' },
    policy: { type: 'string' },
    rule: { type: 'string' },
    category: { type: 'string' },
    severity: { enum: ['critical', 'high', 'low', 'medium', 'info'] },
    result: { enum: ['pass', 'fail', 'warn', 'error', 'skip'] },
    scored: { type: 'boolean' },
    message: { type: 'string' },
    resources: { type: 'array', items: objectReference },
    properties: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

export const policyReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'summary', 'results'],
  properties: {
    apiVersion: { const: 'wgpolicyk8s.io/v1alpha2' },
    kind: { enum: ['PolicyReport', 'ClusterPolicyReport'] },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    scope: objectReference,
    summary: {
      type: 'object',
      additionalProperties: false,
      properties: { pass: { type: 'integer' }, fail: { type: 'integer' }, warn: { type: 'integer' }, error: { type: 'integer' }, skip: { type: 'integer' } },
    },
    results: { type: 'array', items: result },
  },
  // A namespaced PolicyReport names its namespace; the cluster-scoped one must not.
  if: { properties: { kind: { const: 'PolicyReport' } } },
  then: { properties: { metadata: { type: 'object', required: ['name', 'namespace'] } } },
  else: { properties: { metadata: { type: 'object', not: { type: 'object', required: ['namespace'] } } } },
};

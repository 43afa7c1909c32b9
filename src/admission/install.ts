import { stringify } from 'yaml';
import { VERSION } from '../core/version.js';
import { BUILTIN_WORKLOADS, type WorkloadKind } from '../workloads/index.js';
import { createServingPair } from './x509.js';

/**
 * `palisade install --print`: every object the webhook needs, written to pass `palisade audit`
 * (restricted Pod Security, limits, probes, least-privilege RBAC, its own NetworkPolicy) and to
 * avoid the outages of §5.7 of the research note: two replicas and a PDB, its own namespace and
 * kube-system excluded from the webhooks, a certificate whose CA is in caBundle.
 */

export interface InstallOptions {
  namespace: string;
  /** The container image (a digest reference is best: the audit reports tags). */
  image: string;
  /** Certificates: a self-signed CA generated now (caBundle filled in), or cert-manager objects. */
  certificates: 'self-signed' | 'cert-manager';
  failurePolicy: 'Fail' | 'Ignore';
  timeoutSeconds: number;
  /** Validity of the generated serving certificate, days. */
  certificateDays: number;
  now?: Date;
}

export const DEFAULT_IMAGE = `ghcr.io/palisade-dev/palisade:${VERSION}`;
const NAME = 'palisade-webhook';
const LABELS = { 'app.kubernetes.io/name': 'palisade', 'app.kubernetes.io/component': 'admission-webhook' };

/** Resource plurals where lower-case + "s" is wrong. */
const PLURALS: Record<string, string> = { Sandbox: 'sandboxes' };

export function plural(kind: string): string {
  if (PLURALS[kind]) return PLURALS[kind];
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** One rule per API group: every kind of the workloads table that holds pods, and pods/ephemeralcontainers. */
export function webhookRules(kinds: readonly WorkloadKind[] = BUILTIN_WORKLOADS): Array<Record<string, unknown>> {
  const byGroup = new Map<string, Set<string>>();
  for (const kind of kinds) {
    if (kind.podSpecs.length === 0 && !kind.embedded?.length) continue;
    for (const group of kind.groups) {
      const set = byGroup.get(group) ?? new Set<string>();
      set.add(plural(kind.kind));
      byGroup.set(group, set);
    }
  }
  byGroup.get('')?.add('pods/ephemeralcontainers');
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources: [...resources].sort(), operations: ['CREATE', 'UPDATE'], scope: '*' }));
}

/**
 * The validating webhook also sees Namespace CREATE and UPDATE, as PSA's does: it refuses
 * pod-security labels that do not parse and warns an exempt namespace that its policy is ignored.
 */
export const NAMESPACE_RULE = { apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['CREATE', 'UPDATE'], scope: '*' };

const DEFAULT_CONFIG = `# palisade serve: see README "Admission webhook". Start in warn mode, then enforce.
admission:
  failurePolicy: fail-closed
  timeoutSeconds: 10
  checks:
    "*": warn
  images:
    pin: true
    requireDigest: false
    allowedRegistries: []
`;

export function installManifests(options: InstallOptions): Array<Record<string, unknown>> {
  const ns = options.namespace;
  const meta = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, namespace: ns, labels: LABELS, ...extra });
  const dnsNames = [`${NAME}.${ns}.svc`, `${NAME}.${ns}.svc.cluster.local`];
  const objects: Array<Record<string, unknown>> = [];

  objects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' } },
  });
  objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME), automountServiceAccountToken: false });
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: NAME, labels: LABELS },
    // Namespace labels decide the policy; nothing else is read. Registry credentials come from a mounted Secret, not the API.
    rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
  });
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: NAME, labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
    subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
  });
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${NAME}-config`), data: { '.palisade.yaml': DEFAULT_CONFIG } });

  let caBundle: string | undefined;
  if (options.certificates === 'self-signed') {
    const { ca, serving } = createServingPair(dnsNames, options.certificateDays, [], options.now);
    caBundle = Buffer.from(ca.certPem).toString('base64');
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${NAME}-tls`),
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from(serving.certPem).toString('base64'), 'tls.key': Buffer.from(serving.keyPem).toString('base64'), 'ca.crt': caBundle },
    });
  } else {
    objects.push({ apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(`${NAME}-selfsigned`), spec: { selfSigned: {} } });
    objects.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(NAME),
      spec: { secretName: `${NAME}-tls`, dnsNames, duration: `${options.certificateDays * 24}h`, renewBefore: '720h', privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' }, issuerRef: { name: `${NAME}-selfsigned`, kind: 'Issuer' } },
    });
  }

  const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
  const probe = (path: string, period: number): Record<string, unknown> => ({ httpGet: { path, port: 'https', scheme: 'HTTPS' }, periodSeconds: period, timeoutSeconds: 2, failureThreshold: 3 });
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAME),
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          // SIGTERM: readiness goes false, 5 s for endpoints to drop the pod, in-flight answered.
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS } }],
          containers: [
            {
              name: 'webhook',
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['serve', '--listen', '0.0.0.0:8443', '--tls-cert', '/tls/tls.crt', '--tls-key', '/tls/tls.key', '--config', '/config/.palisade.yaml', '--drain-delay', '5'],
              ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
              readinessProbe: probe('/readyz', 5),
              livenessProbe: probe('/healthz', 10),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              securityContext,
              volumeMounts: [
                { name: 'tls', mountPath: '/tls', readOnly: true },
                { name: 'config', mountPath: '/config', readOnly: true },
                { name: 'api-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'tls', secret: { secretName: `${NAME}-tls` } },
            { name: 'config', configMap: { name: `${NAME}-config` } },
            {
              // The token the namespace watch needs, mounted by hand so only this container gets it.
              name: 'api-token',
              projected: {
                sources: [
                  { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                  { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
                ],
              },
            },
          ],
        },
      },
    },
  });
  objects.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(NAME), spec: { minAvailable: 1, selector: { matchLabels: LABELS } } });
  objects.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(NAME), spec: { type: 'ClusterIP', selector: LABELS, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] } });
  // Nothing else runs here: deny by default, then open exactly what the webhook needs.
  objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(NAME),
    spec: {
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Ingress', 'Egress'],
      // The API server calls from addresses a policy cannot name portably (host network, a managed control plane): the port is the limit.
      ingress: [{ ports: [{ protocol: 'TCP', port: 8443 }] }],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        // The API server (namespace watch) and registries (tag → digest): HTTPS only.
        { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      ],
    },
  });

  const rules = webhookRules();
  const namespaceSelector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [ns, 'kube-system'] }] };
  const clientConfig = (path: string): Record<string, unknown> => ({ service: { namespace: ns, name: NAME, path, port: 443 }, ...(caBundle ? { caBundle } : {}) });
  const injected = options.certificates === 'cert-manager' ? { annotations: { 'cert-manager.io/inject-ca-from': `${ns}/${NAME}` } } : {};
  const common = { admissionReviewVersions: ['v1', 'v1beta1'], sideEffects: 'None', failurePolicy: options.failurePolicy, timeoutSeconds: options.timeoutSeconds, matchPolicy: 'Equivalent', namespaceSelector, rules };
  objects.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: NAME, labels: LABELS, ...injected },
    webhooks: [{ name: 'mutate.palisade.dev', clientConfig: clientConfig('/mutate'), reinvocationPolicy: 'IfNeeded', ...common }],
  });
  objects.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: NAME, labels: LABELS, ...injected },
    webhooks: [{ name: 'validate.palisade.dev', clientConfig: clientConfig('/validate'), ...common, rules: [...rules, NAMESPACE_RULE] }],
  });
  return objects;
}

export function installYaml(options: InstallOptions): string {
  return installManifests(options)
    .map((object) => stringify(object, { lineWidth: 0 }))
    .join('---\n');
}

import { X509Certificate } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AuditSession } from '../../src/audit/session.js';
import { installYaml, NAMESPACE_RULE, plural, webhookRules, type InstallOptions } from '../../src/admission/install.js';
import { loadText } from '../../src/core/load.js';
import { SEVERITY_RANK } from '../../src/core/types.js';
import { BUILTIN_WORKLOADS } from '../../src/workloads/index.js';

const OPTIONS: InstallOptions = { namespace: 'palisade', image: 'ghcr.io/palisade-dev/palisade:0.1.0', certificates: 'self-signed', failurePolicy: 'Fail', timeoutSeconds: 10, certificateDays: 365, now: new Date('2026-12-06T00:00:00Z') };

type Obj = { kind: string; metadata: { name: string }; [key: string]: unknown };
const objects = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj);

function audit(text: string): string[] {
  const session = new AuditSession({ now: new Date('2026-12-06T00:00:00Z') });
  const first = session.addFile(loadText('install.yaml', text));
  const last = session.finish();
  return [...first.findings, ...last.findings].filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium).map((f) => `${f.severity} ${f.checkId} ${f.resource?.kind}/${f.resource?.name} ${f.path ?? ''}: ${f.message}`);
}

describe('palisade install --print', () => {
  for (const certificates of ['self-signed', 'cert-manager'] as const) {
    it(`(${certificates}) passes palisade audit with nothing at medium or above`, () => {
      const text = installYaml({ ...OPTIONS, certificates });
      expect(audit(text)).toEqual([]);
      // The audit does look: the same manifests with a root container are reported.
      expect(audit(text.replace('runAsNonRoot: true', 'runAsNonRoot: false').replace('runAsNonRoot: true', 'runAsNonRoot: false')).some((f) => f.includes('PSS_RESTRICTED_RUN_AS_NON_ROOT Deployment/palisade-webhook'))).toBe(true);
    });
  }

  it('prints every object the webhook needs, wired together', () => {
    const docs = objects(installYaml(OPTIONS));
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/palisade',
      'ServiceAccount/palisade-webhook',
      'ClusterRole/palisade-webhook',
      'ClusterRoleBinding/palisade-webhook',
      'ConfigMap/palisade-webhook-config',
      'Secret/palisade-webhook-tls',
      'Deployment/palisade-webhook',
      'PodDisruptionBudget/palisade-webhook',
      'Service/palisade-webhook',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/palisade-webhook',
      'MutatingWebhookConfiguration/palisade-webhook',
      'ValidatingWebhookConfiguration/palisade-webhook',
    ]);
    const byKind = (kind: string): Obj => docs.find((d) => d.kind === kind)!;
    expect((byKind('ClusterRole') as unknown as { rules: unknown }).rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }]);
    expect((byKind('Deployment') as unknown as { spec: { replicas: number } }).spec.replicas).toBe(2);
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const webhook = (byKind(kind) as unknown as { webhooks: Array<Record<string, unknown>> }).webhooks[0]!;
      expect(webhook).toMatchObject({ sideEffects: 'None', failurePolicy: 'Fail', timeoutSeconds: 10, matchPolicy: 'Equivalent', admissionReviewVersions: ['v1', 'v1beta1'] });
      expect(webhook.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['palisade', 'kube-system'] }] });
      // Namespaces go to /validate only: PSA's label validation.
      expect(webhook.rules).toEqual(kind.startsWith('Mutating') ? webhookRules() : [...webhookRules(), NAMESPACE_RULE]);
      // The caBundle is the CA that signed the serving certificate in the Secret, for the Service's DNS name.
      const secret = byKind('Secret') as unknown as { data: Record<string, string> };
      const ca = new X509Certificate(Buffer.from((webhook.clientConfig as { caBundle: string }).caBundle, 'base64'));
      const serving = new X509Certificate(Buffer.from(secret.data['tls.crt']!, 'base64'));
      expect(serving.verify(ca.publicKey)).toBe(true);
      expect(serving.checkHost('palisade-webhook.palisade.svc')).toBe('palisade-webhook.palisade.svc');
      expect((webhook.clientConfig as { service: unknown }).service).toEqual({ namespace: 'palisade', name: 'palisade-webhook', path: kind.startsWith('Mutating') ? '/mutate' : '/validate', port: 443 });
    }
  });

  it('registers every pod-bearing kind of the workloads table, and pods/ephemeralcontainers', () => {
    const rules = webhookRules();
    const core = rules.find((r) => (r.apiGroups as string[])[0] === '')!;
    expect(core.resources).toEqual(['pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicationcontrollers']);
    expect(rules.find((r) => (r.apiGroups as string[])[0] === 'apps')!.resources).toEqual(['daemonsets', 'deployments', 'replicasets', 'statefulsets']);
    expect(rules.find((r) => (r.apiGroups as string[])[0] === 'serving.kserve.io')!.resources).toEqual(['clusterservingruntimes', 'inferenceservices', 'llminferenceserviceconfigs', 'llminferenceservices', 'servingruntimes']);
    const registered = new Set(rules.flatMap((r) => (r.apiGroups as string[]).flatMap((g) => (r.resources as string[]).map((res) => `${g}/${res}`))));
    for (const kind of BUILTIN_WORKLOADS) {
      if (kind.podSpecs.length === 0 && !kind.embedded?.length) continue;
      for (const group of kind.groups) expect(registered.has(`${group}/${plural(kind.kind)}`), `${group} ${kind.kind}`).toBe(true);
    }
    expect(plural('Sandbox')).toBe('sandboxes');
    expect(plural('RayCronJob')).toBe('raycronjobs');
    expect(plural('LeaderWorkerSet')).toBe('leaderworkersets');
  });

  it('--cert-manager: no generated key, caBundle injected by cert-manager', () => {
    const docs = objects(installYaml({ ...OPTIONS, certificates: 'cert-manager', namespace: 'sec' }));
    expect(docs.some((d) => d.kind === 'Secret')).toBe(false);
    const certificate = docs.find((d) => d.kind === 'Certificate') as unknown as { spec: { dnsNames: string[] } };
    expect(certificate.spec.dnsNames).toEqual(['palisade-webhook.sec.svc', 'palisade-webhook.sec.svc.cluster.local']);
    const validating = docs.find((d) => d.kind === 'ValidatingWebhookConfiguration') as unknown as { metadata: { annotations: Record<string, string> }; webhooks: Array<{ clientConfig: Record<string, unknown> }> };
    expect(validating.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'sec/palisade-webhook' });
    expect(validating.webhooks[0]!.clientConfig.caBundle).toBeUndefined();
  });
});

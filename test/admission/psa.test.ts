import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveChecks } from '../../src/audit/settings.js';
import { defaultPsaConfiguration, parsePsaConfiguration, type PsaConfiguration } from '../../src/admission/psa.js';
import type { AdmissionResponse } from '../../src/admission/types.js';
import { review, send, startWebhook, type Webhook } from './harness.js';

/**
 * Pod Security as kubernetes/pod-security-admission decides it (admission/admission.go,
 * response.go, api/helpers.go, cmd/webhook/server), case by case, over HTTPS: which requests are
 * judged, how namespace labels and the configuration's defaults and exemptions become a policy,
 * and the exact answer (allowed, status, warnings, audit annotations). Posture checks are off, so
 * every answer here is PSA's alone.
 */

const L = 'pod-security.kubernetes.io/';
const NAMESPACES: Record<string, Record<string, string>> = {
  plain: {},
  // warn is not labelled: PSA warns at the enforce level (and version) when that is stricter.
  'enforce-restricted': { [`${L}enforce`]: 'restricted' },
  'enforce-baseline-v1.25': { [`${L}enforce`]: 'baseline', [`${L}enforce-version`]: 'v1.25' },
  'warn-version-only': { [`${L}enforce`]: 'restricted', [`${L}warn-version`]: 'v1.24' },
  'warn-privileged': { [`${L}enforce`]: 'restricted', [`${L}warn`]: 'privileged' },
  'bad-enforce': { [`${L}enforce`]: 'strict' },
  'two-errors': { [`${L}enforce`]: 'baseline', [`${L}enforce-version`]: 'v1.x', [`${L}warn`]: 'loud' },
  'future-version': { [`${L}enforce`]: 'restricted', [`${L}enforce-version`]: 'v1.99' },
  'privileged-v1.25': { [`${L}enforce`]: 'privileged', [`${L}enforce-version`]: 'v1.25' },
  'audit-baseline': { [`${L}audit`]: 'baseline' },
  'exempt-ns': { [`${L}enforce`]: 'restricted' },
};
const CONFIG: PsaConfiguration = { ...defaultPsaConfiguration(), exemptions: { usernames: ['ci-bot'], runtimeClasses: ['kata'], namespaces: ['exempt-ns'] } };
const NO_CHECKS = { pod: [], resource: [], cluster: [], enabled: new Set<string>(), adjust: (f: never) => f } as unknown as ActiveChecks;

type Obj = Record<string, unknown>;
const container = (name: string, securityContext?: Obj): Obj => ({ name, image: `registry.example/${name}:1`, ...(securityContext ? { securityContext } : {}) });
const HARDENED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const pod = (name: string, spec: Obj, metadata: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec });
const PLAIN = pod('web', { containers: [container('app')] });
const PRIVILEGED = pod('dbg', { containers: [container('app', { privileged: true })] });
const HARDENED_POD = pod('ok', { containers: [container('app', HARDENED)] });
const withRuntimeClass = (p: Obj, runtimeClassName: string): Obj => ({ ...p, spec: { ...(p.spec as Obj), runtimeClassName } });
const deployment = (name: string, template: Obj, replicas = 1): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: template.spec } },
});

const RESTRICTED = (c: string): string =>
  `allowPrivilegeEscalation != false (container "${c}" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "${c}" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "${c}" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "${c}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`;
const PRIVILEGED_DETAIL = 'privileged (container "app" must not set securityContext.privileged=true)';
const forbidden = (resource: string, name: string, message: string): AdmissionResponse['status'] => ({ status: 'Failure', reason: 'Forbidden', code: 403, message: `${resource} "${name}" is forbidden: ${message}`, details: { name, kind: resource } });

interface Ask {
  namespace: string;
  object: Obj | null;
  operation?: 'CREATE' | 'UPDATE';
  oldObject?: Obj | null;
  resource?: string;
  subResource?: string;
  username?: string;
  dryRun?: boolean;
}

const GROUPS: Record<string, [string, string]> = {
  pods: ['', 'Pod'],
  namespaces: ['', 'Namespace'],
  podtemplates: ['', 'PodTemplate'],
  replicationcontrollers: ['', 'ReplicationController'],
  deployments: ['apps', 'Deployment'],
  replicasets: ['apps', 'ReplicaSet'],
  statefulsets: ['apps', 'StatefulSet'],
  daemonsets: ['apps', 'DaemonSet'],
  jobs: ['batch', 'Job'],
  cronjobs: ['batch', 'CronJob'],
  'deployments/scale': ['autoscaling', 'Scale'],
};

function request(uid: string, ask: Ask): Obj {
  const resource = ask.resource ?? 'pods';
  const [group, kind] = ask.subResource === 'scale' ? GROUPS['deployments/scale']! : GROUPS[resource]!;
  const name = ((ask.object ?? ask.oldObject)?.metadata as Obj | undefined)?.name as string | undefined;
  return {
    uid,
    kind: { group, version: 'v1', kind },
    resource: { group: GROUPS[resource]![0], version: 'v1', resource },
    ...(ask.subResource ? { subResource: ask.subResource, requestSubResource: ask.subResource } : {}),
    ...(name ? { name } : {}),
    namespace: ask.namespace,
    operation: ask.operation ?? 'CREATE',
    userInfo: { username: ask.username ?? 'alice' },
    object: ask.object,
    oldObject: ask.oldObject ?? null,
    dryRun: ask.dryRun ?? false,
  };
}

type Expected = Omit<AdmissionResponse, 'uid'>;

describe('Pod Security exactly as PSA (admission.go), over HTTPS', () => {
  let webhook: Webhook;
  const ask = async (uid: string, a: Ask, apiVersion = 'admission.k8s.io/v1'): Promise<{ apiVersion: string; response: AdmissionResponse }> => {
    const reply = await send(webhook.port, 'POST', '/validate?timeout=10s', review(request(uid, a), apiVersion), webhook.certs.caPem);
    expect(reply.status).toBe(200);
    return JSON.parse(reply.body) as { apiVersion: string; response: AdmissionResponse };
  };
  beforeAll(async () => {
    webhook = await startWebhook({ labels: NAMESPACES, settings: { psa: CONFIG }, engine: { checks: NO_CHECKS } });
  });
  afterAll(async () => {
    await webhook.close();
  });

  const ephemeral = { name: 'dbg', image: 'busybox:1.36', targetContainerName: 'app' };
  const withEphemeral = (p: Obj, ...containers: Obj[]): Obj => ({ ...p, spec: { ...(p.spec as Obj), ephemeralContainers: containers } });
  const relabelled = (p: Obj, labels: Record<string, string>): Obj => ({ ...p, metadata: { ...(p.metadata as Obj), labels } });
  const annotated = (p: Obj, annotations: Record<string, string>): Obj => ({ ...p, metadata: { ...(p.metadata as Obj), annotations } });
  const reimaged = (p: Obj, image: string): Obj => ({ ...p, spec: { ...(p.spec as Obj), containers: [{ ...((p.spec as { containers: Obj[] }).containers[0] as Obj), image }] } });

  const cases: Array<[string, Ask, Expected]> = [
    // Namespace labels → policy (api.PolicyToEvaluate).
    ['enforce alone: a Pod is refused, PSA names it: pods "web" is forbidden', { namespace: 'enforce-restricted', object: PLAIN }, { allowed: false, status: forbidden('pods', 'web', `violates PodSecurity "restricted:latest": ${RESTRICTED('app')}`), auditAnnotations: { 'enforce-policy': 'restricted:latest' } }],
    ['enforce alone: a Deployment is warned at the enforce level (warn defaults to it)', { namespace: 'enforce-restricted', resource: 'deployments', object: deployment('web', PLAIN) }, { allowed: true, warnings: [`would violate PodSecurity "restricted:latest": ${RESTRICTED('app')}`] }],
    ['the defaulted warn takes the enforce version', { namespace: 'enforce-baseline-v1.25', resource: 'deployments', object: deployment('dbg', PRIVILEGED) }, { allowed: true, warnings: [`would violate PodSecurity "baseline:v1.25": ${PRIVILEGED_DETAIL}`] }],
    ['…unless warn-version is labelled', { namespace: 'warn-version-only', resource: 'deployments', object: deployment('web', PLAIN) }, { allowed: true, warnings: [`would violate PodSecurity "restricted:v1.24": ${RESTRICTED('app')}`] }],
    ['a warn label, even privileged, is not overridden; warn and audit privileged: a controller gets nothing', { namespace: 'warn-privileged', resource: 'deployments', object: deployment('web', PLAIN) }, { allowed: true }],
    [
      'an invalid enforce level enforces restricted (fail closed), no warn default, the error in the audit annotation',
      { namespace: 'bad-enforce', object: PLAIN },
      {
        allowed: false,
        status: forbidden('pods', 'web', `violates PodSecurity "restricted:latest": ${RESTRICTED('app')}`),
        auditAnnotations: { 'enforce-policy': 'restricted:latest', error: 'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted' },
      },
    ],
    ['an invalid label keeps a controller from the privileged short cut: the error is annotated', { namespace: 'bad-enforce', resource: 'deployments', object: deployment('web', PLAIN) }, { allowed: true, auditAnnotations: { error: 'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted' } }],
    [
      'an invalid version is latest, an invalid warn level privileged (fail open); several errors in brackets, in label order',
      { namespace: 'two-errors', object: PLAIN },
      {
        allowed: true,
        auditAnnotations: {
          'enforce-policy': 'baseline:latest',
          error: 'Failed to parse policy: [metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "v1.x": must be "latest" or "v1.x", metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "loud": must be one of privileged, baseline, restricted]',
        },
      },
    ],
    ['a version newer than any known is judged as latest and printed as written', { namespace: 'future-version', object: PLAIN }, { allowed: false, status: forbidden('pods', 'web', `violates PodSecurity "restricted:v1.99": ${RESTRICTED('app')}`), auditAnnotations: { 'enforce-policy': 'restricted:v1.99' } }],
    ['…and a pod that meets it is allowed with that policy annotated', { namespace: 'future-version', object: HARDENED_POD }, { allowed: true, auditAnnotations: { 'enforce-policy': 'restricted:v1.99' } }],
    ['privileged in all modes: the short cut annotates privileged:latest whatever the version', { namespace: 'privileged-v1.25', object: PRIVILEGED }, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } }],
    ['no labels: the defaults (privileged:latest)', { namespace: 'plain', object: PRIVILEGED }, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } }],
    ['audit only, a Pod: enforce is evaluated (privileged), the audit violation annotated', { namespace: 'audit-baseline', object: PRIVILEGED }, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest', 'audit-violations': `would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}` } }],
    ['audit only, a Deployment: the audit violation alone', { namespace: 'audit-baseline', resource: 'deployments', object: deployment('dbg', PRIVILEGED) }, { allowed: true, auditAnnotations: { 'audit-violations': `would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}` } }],
    ['a denial with dryRun is the same denial', { namespace: 'enforce-restricted', object: PLAIN, dryRun: true }, { allowed: false, status: forbidden('pods', 'web', `violates PodSecurity "restricted:latest": ${RESTRICTED('app')}`), auditAnnotations: { 'enforce-policy': 'restricted:latest' } }],

    // Exemptions: namespace, then user (before the namespace is read), runtimeClass (after the privileged short cut).
    ['exempt namespace', { namespace: 'exempt-ns', object: PRIVILEGED, username: 'ci-bot' }, { allowed: true, auditAnnotations: { exempt: 'namespace' } }],
    ['exempt namespace, a Deployment', { namespace: 'exempt-ns', resource: 'deployments', object: deployment('dbg', PRIVILEGED) }, { allowed: true, auditAnnotations: { exempt: 'namespace' } }],
    ['exempt user', { namespace: 'enforce-restricted', object: PLAIN, username: 'ci-bot' }, { allowed: true, auditAnnotations: { exempt: 'user' } }],
    ['exempt runtimeClass', { namespace: 'enforce-restricted', object: withRuntimeClass(PLAIN, 'kata') }, { allowed: true, auditAnnotations: { exempt: 'runtimeClass' } }],
    ['the privileged short cut comes before the runtimeClass exemption (Pod)', { namespace: 'privileged-v1.25', object: withRuntimeClass(PLAIN, 'kata') }, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } }],
    ['the privileged short cut comes before the runtimeClass exemption (controller)', { namespace: 'warn-privileged', resource: 'deployments', object: deployment('web', withRuntimeClass(PLAIN, 'kata')) }, { allowed: true }],
    ['another runtimeClass is judged', { namespace: 'enforce-restricted', object: withRuntimeClass(PLAIN, 'runc') }, { allowed: false, status: forbidden('pods', 'web', `violates PodSecurity "restricted:latest": ${RESTRICTED('app')}`), auditAnnotations: { 'enforce-policy': 'restricted:latest' } }],

    // Subresources: pods/<ignored> are allowed; any other pods subresource is a Pod; other kinds' subresources are allowed.
    ['pods/status is not judged', { namespace: 'privileged-v1.25', operation: 'UPDATE', subResource: 'status', object: PRIVILEGED, oldObject: PRIVILEGED }, { allowed: true }],
    ['pods/resize is a Pod: judged (the unchanged update gets the privileged short cut)', { namespace: 'privileged-v1.25', operation: 'UPDATE', subResource: 'resize', object: PRIVILEGED, oldObject: PRIVILEGED }, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } }],
    [
      'pods/ephemeralcontainers: kubectl debug adds a container that violates',
      { namespace: 'enforce-restricted', operation: 'UPDATE', subResource: 'ephemeralcontainers', object: withEphemeral(HARDENED_POD, ephemeral), oldObject: HARDENED_POD },
      { allowed: false, status: forbidden('pods', 'ok', `violates PodSecurity "restricted:latest": ${RESTRICTED('dbg')}`), auditAnnotations: { 'enforce-policy': 'restricted:latest' } },
    ],
    ['deployments/scale is not judged', { namespace: 'enforce-restricted', operation: 'UPDATE', resource: 'deployments', subResource: 'scale', object: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 3 } } }, { allowed: true }],

    // UPDATE of a Pod: judged again only when an image changes, a container is added or removed, or an ephemeral container is added or changes image.
    ['relabelling a Pod is not judged', { namespace: 'enforce-restricted', operation: 'UPDATE', object: relabelled(PLAIN, { tier: 'x' }), oldObject: PLAIN }, { allowed: true }],
    ['a seccomp annotation change is not judged (upstream compares images only)', { namespace: 'enforce-restricted', operation: 'UPDATE', object: annotated(PLAIN, { 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' }), oldObject: PLAIN }, { allowed: true }],
    ['an unchanged ephemeral container is not judged', { namespace: 'enforce-restricted', operation: 'UPDATE', object: relabelled(withEphemeral(HARDENED_POD, ephemeral), { a: 'b' }), oldObject: withEphemeral(HARDENED_POD, ephemeral) }, { allowed: true }],
    ['a new image is judged', { namespace: 'enforce-restricted', operation: 'UPDATE', object: reimaged(PLAIN, 'registry.example/app:2'), oldObject: PLAIN }, { allowed: false, status: forbidden('pods', 'web', `violates PodSecurity "restricted:latest": ${RESTRICTED('app')}`), auditAnnotations: { 'enforce-policy': 'restricted:latest' } }],
    ['an ephemeral container whose image changed is judged', { namespace: 'enforce-restricted', operation: 'UPDATE', object: withEphemeral(HARDENED_POD, { ...ephemeral, image: 'busybox:1.37' }), oldObject: withEphemeral(HARDENED_POD, ephemeral) }, { allowed: false, status: forbidden('pods', 'ok', `violates PodSecurity "restricted:latest": ${RESTRICTED('dbg')}`), auditAnnotations: { 'enforce-policy': 'restricted:latest' } }],
    ['an unchanged Pod in an exempt namespace is still answered as exempt', { namespace: 'exempt-ns', operation: 'UPDATE', object: relabelled(PLAIN, { tier: 'x' }), oldObject: PLAIN }, { allowed: true, auditAnnotations: { exempt: 'namespace' } }],
    ['an unchanged Pod in a privileged namespace gets the short cut', { namespace: 'privileged-v1.25', operation: 'UPDATE', object: relabelled(PLAIN, { tier: 'x' }), oldObject: PLAIN }, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } }],
    ['a Pod UPDATE without its old object cannot be decoded (400)', { namespace: 'enforce-restricted', operation: 'UPDATE', object: PLAIN, oldObject: null }, { allowed: false, status: { status: 'Failure', reason: 'BadRequest', code: 400, message: 'failed to decode old pod' }, auditAnnotations: { error: 'failed to decode old pod' } }],
    // UPDATE of a controller: PSA compares nothing, every UPDATE is judged (warned) again.
    ['scaling a Deployment by UPDATE is judged again', { namespace: 'enforce-restricted', operation: 'UPDATE', resource: 'deployments', object: deployment('web', PLAIN, 3), oldObject: deployment('web', PLAIN, 1) }, { allowed: true, warnings: [`would violate PodSecurity "restricted:latest": ${RESTRICTED('app')}`] }],
  ];

  it.each(cases)('%s', async (_what, a, expected) => {
    const { response } = await ask('u', a);
    expect(response).toEqual({ uid: 'u', ...expected });
  });

  // PSA's DefaultPodSpecExtractor: the pod template of each built-in controller, judged with the template's own metadata.
  const template = (p: Obj, metadata: Obj = {}): Obj => ({ metadata, spec: p.spec });
  const AUDITED = { allowed: true, auditAnnotations: { 'audit-violations': `would violate PodSecurity "baseline:latest": ${PRIVILEGED_DETAIL}` } };
  const kinds: Array<[string, Obj]> = [
    ['podtemplates', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: template(PRIVILEGED) }],
    ['replicationcontrollers', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replicas: 1, template: template(PRIVILEGED, { labels: { app: 'rc' } }) } }],
    ['replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { selector: {}, template: template(PRIVILEGED) } }],
    ['statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss' }, spec: { selector: {}, serviceName: 'ss', template: template(PRIVILEGED) } }],
    ['daemonsets', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { selector: {}, template: template(PRIVILEGED) } }],
    ['jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: template({ spec: { ...(PRIVILEGED.spec as Obj), restartPolicy: 'Never' } }) } }],
    ['cronjobs', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: template({ spec: { ...(PRIVILEGED.spec as Obj), restartPolicy: 'Never' } }) } } } }],
  ];
  it.each(kinds)('%s: the pod template is audited and warned like a Deployment\'s', async (resource, object) => {
    expect((await ask('k', { namespace: 'audit-baseline', resource, object })).response).toEqual({ uid: 'k', ...AUDITED });
  });

  it('a template is judged with its own metadata, not the controller\'s', async () => {
    const unconfined = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    const onController = { ...deployment('web', PLAIN), metadata: { name: 'web', annotations: unconfined } };
    expect((await ask('m1', { namespace: 'audit-baseline', resource: 'deployments', object: onController })).response).toEqual({ uid: 'm1', allowed: true });
    const onTemplate = deployment('web', PLAIN) as { spec: { template: { metadata: Obj } } };
    onTemplate.spec.template.metadata = { annotations: unconfined };
    const { response } = await ask('m2', { namespace: 'audit-baseline', resource: 'deployments', object: onTemplate as unknown as Obj });
    expect(response.auditAnnotations?.['audit-violations']).toMatch(/^would violate PodSecurity "baseline:latest": forbidden AppArmor profile \(/);
  });

  it('a warning too long for the API server is cut to 256 characters as it would cut it, not dropped', async () => {
    const many = pod('big', { containers: Array.from({ length: 60 }, (_, i) => container(`inference-worker-${String(i).padStart(3, '0')}`)) });
    const { response } = await ask('w', { namespace: 'enforce-restricted', resource: 'deployments', object: deployment('big', many) });
    expect(response.allowed).toBe(true);
    expect(response.warnings).toHaveLength(1);
    expect(response.warnings![0]).toHaveLength(256);
    expect(response.warnings![0]).toMatch(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(containers "inference-worker-000", .*…$/);
  });

  it('answers a v1beta1 review in v1beta1, the same answer', async () => {
    const a: Ask = { namespace: 'enforce-restricted', object: PLAIN };
    const v1 = await ask('u1', a);
    const beta = await ask('u1', a, 'admission.k8s.io/v1beta1');
    expect(beta.apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(beta.response).toEqual(v1.response);
  });

  it('a pod created with generateName and no name yet: "pods is forbidden"', async () => {
    const generated = { ...PLAIN, metadata: { generateName: 'web-' } };
    const { response } = await ask('g', { namespace: 'enforce-restricted', object: generated });
    expect(response.status).toEqual({ status: 'Failure', reason: 'Forbidden', code: 403, message: `pods is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED('app')}`, details: { kind: 'pods' } });
  });

  // Namespace CREATE/UPDATE (ValidateNamespace): labels are validated, an exempt namespace is told its policy is ignored.
  const ns = (name: string, labels: Record<string, string>): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const invalidEnforce = {
    status: 'Failure',
    reason: 'Invalid',
    code: 422,
    message: 'Namespace "team-a" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    details: { name: 'team-a', kind: 'Namespace', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "strict": must be one of privileged, baseline, restricted', field: 'metadata.labels[pod-security.kubernetes.io/enforce]' }] },
  };
  const namespaceCases: Array<[string, Ask, Expected]> = [
    ['CREATE with valid labels', { namespace: 'team-a', resource: 'namespaces', object: ns('team-a', { [`${L}enforce`]: 'restricted' }) }, { allowed: true }],
    ['CREATE with an invalid level: 422 Invalid', { namespace: 'team-a', resource: 'namespaces', object: ns('team-a', { [`${L}enforce`]: 'strict' }) }, { allowed: false, status: invalidEnforce as AdmissionResponse['status'] }],
    [
      'CREATE with two invalid labels: both, in brackets',
      { namespace: 'team-a', resource: 'namespaces', object: ns('team-a', { [`${L}audit`]: 'loud', [`${L}audit-version`]: '1.30' }) },
      {
        allowed: false,
        status: {
          status: 'Failure',
          reason: 'Invalid',
          code: 422,
          message: 'Namespace "team-a" is invalid: [metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "loud": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "1.30": must be "latest" or "v1.x"]',
          details: {
            name: 'team-a',
            kind: 'Namespace',
            causes: [
              { reason: 'FieldValueInvalid', message: 'Invalid value: "loud": must be one of privileged, baseline, restricted', field: 'metadata.labels[pod-security.kubernetes.io/audit]' },
              { reason: 'FieldValueInvalid', message: 'Invalid value: "1.30": must be "latest" or "v1.x"', field: 'metadata.labels[pod-security.kubernetes.io/audit-version]' },
            ],
          },
        },
      },
    ],
    ['CREATE of an exempt namespace with a policy: warned it is ignored', { namespace: 'exempt-ns', resource: 'namespaces', object: ns('exempt-ns', { [`${L}enforce`]: 'restricted' }) }, { allowed: true, warnings: ['namespace "exempt-ns" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored'] }],
    ['CREATE of an exempt namespace, privileged: nothing to say', { namespace: 'exempt-ns', resource: 'namespaces', object: ns('exempt-ns', { [`${L}enforce`]: 'privileged' }) }, { allowed: true }],
    ['UPDATE keeping the same invalid label is allowed', { namespace: 'team-a', resource: 'namespaces', operation: 'UPDATE', object: ns('team-a', { [`${L}enforce`]: 'strict', x: 'y' }), oldObject: ns('team-a', { [`${L}enforce`]: 'strict' }) }, { allowed: true }],
    ['UPDATE introducing an invalid label is refused', { namespace: 'team-a', resource: 'namespaces', operation: 'UPDATE', object: ns('team-a', { [`${L}enforce`]: 'strict' }), oldObject: ns('team-a', { [`${L}enforce`]: 'baseline' }) }, { allowed: false, status: invalidEnforce as AdmissionResponse['status'] }],
    [
      'UPDATE tightening an exempt namespace: warned, modes in order enforce, audit, warn',
      { namespace: 'exempt-ns', resource: 'namespaces', operation: 'UPDATE', object: ns('exempt-ns', { [`${L}enforce`]: 'restricted', [`${L}enforce-version`]: 'v1.0', [`${L}audit`]: 'restricted', [`${L}warn`]: 'baseline' }), oldObject: ns('exempt-ns', {}) },
      { allowed: true, warnings: ['namespace "exempt-ns" is exempt from Pod Security, and the policy (enforce=restricted:v1.0, audit=restricted:latest, warn=baseline:latest) will be ignored'] },
    ],
    ['UPDATE relaxing an exempt namespace (same version): nothing', { namespace: 'exempt-ns', resource: 'namespaces', operation: 'UPDATE', object: ns('exempt-ns', { [`${L}enforce`]: 'baseline' }), oldObject: ns('exempt-ns', { [`${L}enforce`]: 'restricted' }) }, { allowed: true }],
    // PSA would list the namespace's pods and warn about those that violate; palisade sees no pods.
    ['UPDATE tightening a namespace: allowed (existing pods are not listed)', { namespace: 'team-a', resource: 'namespaces', operation: 'UPDATE', object: ns('team-a', { [`${L}enforce`]: 'restricted' }), oldObject: ns('team-a', {}) }, { allowed: true }],
    ['namespaces/finalize is not judged', { namespace: 'team-a', resource: 'namespaces', operation: 'UPDATE', subResource: 'finalize', object: ns('team-a', { [`${L}enforce`]: 'strict' }), oldObject: ns('team-a', {}) }, { allowed: true }],
  ];

  it.each(namespaceCases)('Namespace: %s', async (_what, a, expected) => {
    const { response } = await ask('n', a);
    expect(response).toEqual({ uid: 'n', ...expected });
  });
});

describe('PSA defaults from the PodSecurityConfiguration', () => {
  let webhook: Webhook;
  beforeAll(async () => {
    const psa: PsaConfiguration = { ...defaultPsaConfiguration(), defaults: { enforce: { level: 'baseline', version: 'v1.30' }, audit: { level: 'restricted', version: 'latest' }, warn: { level: 'restricted', version: 'latest' } } };
    webhook = await startWebhook({ labels: { plain: {}, 'version-only': { [`${L}enforce-version`]: 'v1.25' }, relaxed: { [`${L}enforce`]: 'privileged' } }, settings: { psa }, engine: { checks: NO_CHECKS } });
  });
  afterAll(async () => {
    await webhook.close();
  });
  const ask = async (namespace: string, object: Obj): Promise<AdmissionResponse> => {
    const reply = await send(webhook.port, 'POST', '/validate', review(request('d', { namespace, object })), webhook.certs.caPem);
    return (JSON.parse(reply.body) as { response: AdmissionResponse }).response;
  };

  it.each<[string, string, Obj, Expected]>([
    ['an unlabelled namespace enforces the default', 'plain', PRIVILEGED, { allowed: false, status: forbidden('pods', 'dbg', `violates PodSecurity "baseline:v1.30": ${PRIVILEGED_DETAIL}`), auditAnnotations: { 'enforce-policy': 'baseline:v1.30', 'audit-violations': `would violate PodSecurity "restricted:latest": ${PRIVILEGED_DETAIL}, ${RESTRICTED('app')}` } }],
    ['…warns and audits at the defaults', 'plain', PLAIN, { allowed: true, warnings: [`would violate PodSecurity "restricted:latest": ${RESTRICTED('app')}`], auditAnnotations: { 'enforce-policy': 'baseline:v1.30', 'audit-violations': `would violate PodSecurity "restricted:latest": ${RESTRICTED('app')}` } }],
    ['a version label alone keeps the default level', 'version-only', PRIVILEGED, { allowed: false, status: forbidden('pods', 'dbg', `violates PodSecurity "baseline:v1.25": ${PRIVILEGED_DETAIL}`), auditAnnotations: { 'enforce-policy': 'baseline:v1.25', 'audit-violations': `would violate PodSecurity "restricted:latest": ${PRIVILEGED_DETAIL}, ${RESTRICTED('app')}` } }],
    ['a privileged enforce label does not lower the default warn; the version stays the default\'s', 'relaxed', PLAIN, { allowed: true, warnings: [`would violate PodSecurity "restricted:latest": ${RESTRICTED('app')}`], auditAnnotations: { 'enforce-policy': 'privileged:v1.30', 'audit-violations': `would violate PodSecurity "restricted:latest": ${RESTRICTED('app')}` } }],
  ])('%s', async (_what, namespace, object, expected) => {
    expect(await ask(namespace, object)).toEqual({ uid: 'd', ...expected });
  });
});

describe('reading the PodSecurityConfiguration as upstream loads and validates it', () => {
  const wrap = (configuration: Obj): Obj => ({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins: [{ name: 'PodSecurity', configuration }] });

  it('an AdmissionConfiguration\'s PodSecurity plugin: missing or empty defaults are privileged and latest', () => {
    const parsed = parsePsaConfiguration(
      wrap({ apiVersion: 'pod-security.admission.config.k8s.io/v1', kind: 'PodSecurityConfiguration', defaults: { enforce: 'baseline', 'enforce-version': '', audit: '', warn: 'restricted', 'warn-version': 'v1.30' }, exemptions: { usernames: ['ci-bot'], runtimeClasses: ['kata.v2'], namespaces: ['kube-system'] } }),
      'admission.yaml',
    );
    expect(parsed).toEqual({
      defaults: { enforce: { level: 'baseline', version: 'latest' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'restricted', version: 'v1.30' } },
      exemptions: { usernames: ['ci-bot'], runtimeClasses: ['kata.v2'], namespaces: ['kube-system'] },
    });
  });

  it('every invalid default and exemption at once, as upstream field errors', () => {
    const configuration = { kind: 'PodSecurityConfiguration', defaults: { enforce: 'strict', 'audit-version': '1.30' }, exemptions: { usernames: ['', 'ci-bot', 'ci-bot'], runtimeClasses: ['gVisor'], namespaces: ['team_a', 'ml', 'ml'] } };
    expect(() => parsePsaConfiguration(configuration, 'admission.yaml')).toThrow(
      [
        'admission.yaml: defaults.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted',
        'defaults.audit-version: Invalid value: "1.30": must be "latest" or "v1.x"',
        'exemptions.usernames[0]: Invalid value: "": username must not be empty',
        'exemptions.usernames[2]: Duplicate value: "ci-bot"',
        `exemptions.runtimeClasses[0]: Invalid value: "gVisor": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        `exemptions.namespaces[0]: Invalid value: "team_a": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
        'exemptions.namespaces[2]: Duplicate value: "ml"',
      ].join('; '),
    );
  });

  it('a PodSecurityConfiguration of an apiVersion upstream does not decode is refused', () => {
    expect(() => parsePsaConfiguration({ apiVersion: 'pod-security.admission.config.k8s.io/v2', kind: 'PodSecurityConfiguration' }, 'psa.yaml')).toThrow(
      'psa.yaml: apiVersion must be one of pod-security.admission.config.k8s.io/v1, pod-security.admission.config.k8s.io/v1beta1, pod-security.admission.config.k8s.io/v1alpha1, got pod-security.admission.config.k8s.io/v2',
    );
  });
});

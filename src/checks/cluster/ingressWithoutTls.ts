import { z } from 'zod';
import { backendService, describeWorkloads, ingressBackends, reachedByBackend, workloadsSelectedBy } from '../exposure.js';
import type { ClusterCheck, ClusterReport } from '../types.js';
import { isPlainObject } from '../../core/object.js';

/**
 * Controllers that pass the client's TLS through to the backend untouched (ingress-nginx
 * `ssl-passthrough`, HAProxy ingress `ssl-passthrough`): the connection is TLS end to end and
 * `spec.tls` is not used, per the controllers' annotation docs.
 */
const PASSTHROUGH_ANNOTATIONS = ['nginx.ingress.kubernetes.io/ssl-passthrough', 'haproxy-ingress.github.io/ssl-passthrough', 'ingress.kubernetes.io/ssl-passthrough'];

function tlsPassthrough(object: Readonly<Record<string, unknown>>): boolean {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const annotations = isPlainObject(metadata.annotations) ? metadata.annotations : {};
  return PASSTHROUGH_ANNOTATIONS.some((key) => String(annotations[key]).toLowerCase() === 'true');
}

export const ingressWithoutTls: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'INGRESS_WITHOUT_TLS',
    family: 'audit',
    severity: 'medium',
    title: 'Ingress serves a workload without TLS',
    description:
      'An Ingress without `spec.tls` (or whose TLS hosts do not cover the rule\'s host) serves its backends over plain HTTP: passwords, session cookies, API keys, prompts and completions cross the network readable and changeable. Judged for every Ingress rule, whatever the backend runs (Redis, a feature store, the KubeRay API server); the finding is high when the backend Service selects a recognised model server, notebook or ML platform, and medium otherwise. One finding per rule (or per default backend). An Ingress that passes TLS through to the backend (ingress-nginx or HAProxy `ssl-passthrough: "true"`) is TLS end to end and not reported.',
    remediation: 'Add spec.tls with a certificate for the host (e.g. from cert-manager), and redirect HTTP to HTTPS at the ingress controller.',
    frameworks: { 'nist-800-53': ['SC-8'], 'mitre-atlas': ['AML.T0040'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      noTls: 'Ingress "{ingress}" serves {host} to the {server} in {workload} without TLS',
      noTlsWorkload: 'Ingress "{ingress}" serves {host} to Service "{service}" ({workloads}) without TLS',
      noTlsService: 'Ingress "{ingress}" serves {host} to Service "{service}" without TLS',
    },
  },
  create() {
    return (inventory) => {
      const out: ClusterReport[] = [];
      for (const ingress of inventory.ingresses) {
        const spec = isPlainObject(ingress.object.spec) ? ingress.object.spec : {};
        if (tlsPassthrough(ingress.object)) continue;
        const tls = Array.isArray(spec.tls) ? spec.tls.filter(isPlainObject) : [];
        const tlsHosts = new Set(tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.map(String) : [])));
        const rules = Array.isArray(spec.rules) ? spec.rules : [];
        // One finding per rule: the first backend reaching a model server decides the severity, else the first backend.
        const byRule = new Map<string, ClusterReport>();
        for (const backend of ingressBackends(ingress)) {
          const rule = backend.rule === undefined ? undefined : rules[backend.rule];
          const host = isPlainObject(rule) && typeof rule.host === 'string' ? rule.host : undefined;
          // A TLS entry without hosts covers every host of the Ingress.
          const covered = tls.length > 0 && (host === undefined || tlsHosts.has(host) || tls.some((t) => !Array.isArray(t.hosts) || t.hosts.length === 0));
          if (covered) continue;
          const where = backend.rule === undefined ? backend.path : `/spec/rules/${backend.rule}`;
          const known = byRule.get(where);
          if (known?.severity === 'high') continue;
          const hostText = host ?? 'every host';
          const reached = reachedByBackend(ingress, backend, inventory)[0];
          if (reached) {
            byRule.set(where, { target: ingress, messageId: 'noTls', data: { ingress: ingress.ref.name, host: hostText, server: reached.server.name, workload: `${reached.workload.ref.kind} "${reached.workload.ref.name}"` }, path: where, severity: 'high' });
            continue;
          }
          if (known) continue;
          const service = backendService(ingress, backend, inventory);
          const workloads = service ? describeWorkloads(workloadsSelectedBy(service, inventory)) : '';
          byRule.set(
            where,
            workloads
              ? { target: ingress, messageId: 'noTlsWorkload', data: { ingress: ingress.ref.name, host: hostText, service: backend.service, workloads }, path: where }
              : { target: ingress, messageId: 'noTlsService', data: { ingress: ingress.ref.name, host: hostText, service: backend.service }, path: where },
          );
        }
        out.push(...byRule.values());
      }
      return out;
    };
  },
};

import { z } from 'zod';
import { isObject } from '../context.js';
import { ingressBackends, reachedByBackend } from '../exposure.js';
import type { ClusterCheck, ClusterReport } from '../types.js';

export const ingressWithoutTls: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'INGRESS_WITHOUT_TLS',
    family: 'audit',
    severity: 'high',
    title: 'Ingress in front of a model server has no TLS',
    description:
      'An Ingress without `spec.tls` (or whose TLS hosts do not cover the rule\'s host) serves the model over plain HTTP: prompts, completions, API keys and uploaded inputs cross the network readable and changeable. Reported for Ingress rules whose backend Service selects a recognised model server, notebook or ML platform.',
    remediation: 'Add spec.tls with a certificate for the host (e.g. from cert-manager), and redirect HTTP to HTTPS at the ingress controller.',
    frameworks: { 'nist-800-53': ['SC-8'], 'mitre-atlas': ['AML.T0040'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { noTls: 'Ingress "{ingress}" serves {host} to the {server} in {workload} without TLS' },
  },
  create() {
    return (inventory) => {
      const out: ClusterReport[] = [];
      for (const ingress of inventory.ingresses) {
        const spec = isObject(ingress.object.spec) ? ingress.object.spec : {};
        const tls = Array.isArray(spec.tls) ? spec.tls.filter(isObject) : [];
        const tlsHosts = new Set(tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.map(String) : [])));
        const rules = Array.isArray(spec.rules) ? spec.rules : [];
        const reported = new Set<string>();
        for (const backend of ingressBackends(ingress)) {
          const rule = backend.rule === undefined ? undefined : rules[backend.rule];
          const host = isObject(rule) && typeof rule.host === 'string' ? rule.host : undefined;
          // A TLS entry without hosts covers every host of the Ingress.
          const covered = tls.length > 0 && (host === undefined || tlsHosts.has(host) || tls.some((t) => !Array.isArray(t.hosts) || t.hosts.length === 0));
          if (covered) continue;
          const where = backend.rule === undefined ? backend.path : `/spec/rules/${backend.rule}`;
          if (reported.has(where)) continue;
          const reached = reachedByBackend(ingress, backend, inventory)[0];
          if (!reached) continue;
          reported.add(where);
          out.push({ target: ingress, messageId: 'noTls', data: { ingress: ingress.ref.name, host: host ?? 'every host', server: reached.server.name, workload: `${reached.workload.ref.kind} "${reached.workload.ref.name}"` }, path: where });
        }
      }
      return out;
    };
  },
};

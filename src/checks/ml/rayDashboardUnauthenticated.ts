import { z } from 'zod';
import { getAtPointer, joinPointer } from '../../core/pointer.js';
import { envValue, flagValue, isObject, wordPath } from '../context.js';
import type { CheckReport, PodCheck } from '../types.js';

const HEAD_SUFFIX = '/template/spec';
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

export const rayDashboardUnauthenticated: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'RAY_DASHBOARD_UNAUTHENTICATED',
    family: 'audit',
    severity: 'high',
    title: 'Ray dashboard and job API listen on all interfaces without authentication',
    description:
      'The Ray dashboard port (8265) also serves the Jobs API: anyone who reaches it can submit a job, that is run arbitrary code on every node of the cluster with its credentials (ShadowRay, CVE-2023-48022, exploited in the wild). KubeRay starts the head with `--dashboard-host=0.0.0.0` unless `rayStartParams.dashboard-host` says otherwise, so a RayCluster, RayService or RayJob head without it is reported too. Ray\'s token authentication (`authOptions.mode: token` in the KubeRay spec, or `RAY_AUTH_MODE=token` on the head) or a dashboard bound to 127.0.0.1 passes. Exposure through a Service or Ingress is reported separately by EXPOSED_ADMIN_PORT.',
    remediation: 'Set rayStartParams.dashboard-host: "127.0.0.1" (use kubectl port-forward to reach it), or enable Ray token authentication (KubeRay authOptions.mode: token, or RAY_AUTH_MODE=token) and restrict port 8265 with a NetworkPolicy.',
    frameworks: { 'nist-800-53': ['AC-3', 'IA-2'], 'mitre-atlas': ['AML.T0049', 'AML.T0050'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      allInterfaces: 'Ray head "{container}" binds the dashboard and job API to {host} without authentication',
      kuberayDefault: 'Ray head "{container}" does not set rayStartParams.dashboard-host, so KubeRay binds the dashboard and job API to 0.0.0.0 without authentication',
    },
  },
  create() {
    return (context) => {
      const kuberayHead = context.pod.podSpecPath.endsWith('/headGroupSpec' + HEAD_SUFFIX);
      // In a KubeRay head group the first container is the head, whatever its image.
      const head = kuberayHead ? context.containers.find((c) => c.ref.kind === 'container') : context.containers.find((c) => c.server?.id === 'ray' && /(^|\s)--head\b/.test(c.commandLine.join(' ')));
      if (!head) return [];
      if (envValue(head, 'RAY_AUTH_MODE')?.value.toLowerCase() === 'token') return [];
      const data = (host: string): Record<string, string> => ({ container: head.ref.name, host });
      const out: CheckReport[] = [];
      // KubeRay head group: the setting lives in rayStartParams beside the pod template.
      if (kuberayHead) {
        const groupPath = context.pod.podSpecPath.slice(0, -HEAD_SUFFIX.length);
        // KubeRay ≥ 1.5: `authOptions: {mode: token}` beside headGroupSpec turns on Ray token auth.
        const authMode = getAtPointer(context.resource.object, groupPath.slice(0, -'/headGroupSpec'.length) + '/authOptions/mode');
        if (typeof authMode === 'string' && authMode.toLowerCase() === 'token') return [];
        const params = getAtPointer(context.resource.object, joinPointer(groupPath, 'rayStartParams'));
        const host = isObject(params) ? params['dashboard-host'] : undefined;
        const included = isObject(params) ? String(params['include-dashboard'] ?? 'true').toLowerCase() !== 'false' : true;
        if (!included) return [];
        if (host === undefined || host === null) out.push({ messageId: 'kuberayDefault', data: data('0.0.0.0'), path: isObject(params) ? joinPointer(groupPath, 'rayStartParams') : groupPath });
        else if (ALL_INTERFACES.has(String(host))) out.push({ messageId: 'allInterfaces', data: data(String(host)), path: joinPointer(groupPath, 'rayStartParams', 'dashboard-host') });
        return out;
      }
      // A plain pod that runs `ray start --head --dashboard-host=0.0.0.0` itself.
      const host = flagValue(head.commandLine, '--dashboard-host');
      if (host !== undefined && ALL_INTERFACES.has(host)) out.push({ messageId: 'allInterfaces', data: data(host), path: wordPath(head, '--dashboard-host') });
      return out;
    };
  },
};

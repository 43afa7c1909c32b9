import { API_USE_MARKERS, DEFAULT_SERVICE_ACCOUNTS } from '../data/apiUse.js';
import type { HardenRule } from '../context.js';
import { isPlainObject } from '../objects.js';

const CHECK = 'automountServiceAccountToken';
const POINTER = '/automountServiceAccountToken';

/**
 * automountServiceAccountToken: false for model-serving pods that run under the default service
 * account and show no sign of calling the API: a stolen token is then worth nothing.
 */
export const serviceAccountToken: HardenRule = {
  id: 'serviceAccountToken',
  description: 'sets automountServiceAccountToken: false on serving pods that do not use the Kubernetes API',
  levels: ['restricted'],
  run(ctx, b) {
    if (!ctx.podFields.automountServiceAccountToken || b.get(POINTER) !== undefined) return;
    const servers = [...new Set(ctx.containers.flatMap((c) => (c.server ? [c.server.name] : [])))];
    if (servers.length === 0) return;
    const account = b.get('/serviceAccountName') ?? b.get('/serviceAccount') ?? '';
    if (!DEFAULT_SERVICE_ACCOUNTS.includes(String(account))) {
      b.skip(POINTER, CHECK, `runs as service account "${String(account)}", which may call the API`);
      return;
    }
    const marker = API_USE_MARKERS.find((m) => hasField(ctx.resource, m.field, m.value));
    if (marker) {
      b.skip(POINTER, CHECK, `${marker.field}: ${String(marker.value)}: ${marker.why}`);
      return;
    }
    b.set(POINTER, false, CHECK, `${servers.join(', ')} under the default service account does not call the Kubernetes API`);
  },
};

function hasField(value: unknown, field: string, expected: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => hasField(v, field, expected));
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([k, v]) => (k === field && v === expected) || hasField(v, field, expected));
}

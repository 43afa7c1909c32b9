import { configLocation, type Config } from '../core/config.js';
import { PalisadeError } from '../core/errors.js';
import { CHECKS, checkById, type Check, type ClusterCheck, type PodCheck, type ResourceCheck } from '../checks/index.js';
import { activate, type ActiveCheck } from '../checks/run.js';

/** The checks an audit runs, split by scope, with params and severities from `checks:` in .palisade.yaml. */
export interface ActiveChecks {
  pod: Array<ActiveCheck<PodCheck>>;
  resource: Array<ActiveCheck<ResourceCheck>>;
  cluster: Array<ActiveCheck<ClusterCheck>>;
  /** Ids of the checks that run (for the compliance view: what was tested). */
  enabled: Set<string>;
}

/**
 * Validate `checks:` against the checks' own schemas and build the active set. A bad entry is a
 * CONFIG_INVALID error naming the file:line:column of the field (the CLI exits 2).
 */
export function activeChecks(config?: Config): ActiveChecks {
  const settings = config?.checks ?? {};
  const invalid = (path: Array<string | number>, message: string): PalisadeError =>
    new PalisadeError('CONFIG_INVALID', `config field ${path.join('.')}: ${message}`, { errorClass: 'fatal', ...(config && configLocation(config, path) ? { location: configLocation(config, path)! } : {}) });
  for (const id of Object.keys(settings)) {
    if (!checkById(id)) throw invalid(['checks', id], `unknown check "${id}"; run palisade checks list`);
  }
  const active: ActiveChecks = { pod: [], resource: [], cluster: [], enabled: new Set() };
  for (const check of CHECKS) {
    const setting = settings[check.meta.id];
    if (setting === false || (typeof setting === 'object' && setting.enabled === false)) continue;
    const given = typeof setting === 'object' ? setting.params : undefined;
    const parsed = check.meta.params.safeParse({ ...(check.meta.defaultParams as object), ...(given ?? {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalid(['checks', check.meta.id, 'params', ...(issue.path as Array<string | number>)], issue.message);
    }
    const severity = typeof setting === 'object' && setting.severity ? setting.severity : check.meta.severity;
    add(active, check, parsed.data, severity);
  }
  return active;
}

function add(active: ActiveChecks, check: Check, params: unknown, severity: Check['meta']['severity']): void {
  active.enabled.add(check.meta.id);
  if (check.scope === 'pod') active.pod.push(activate(check, params, severity));
  else if (check.scope === 'resource') active.resource.push(activate(check, params, severity));
  else active.cluster.push(activate(check, params, severity));
}

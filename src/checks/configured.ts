import { configLocation, type Config } from '../core/config.js';
import { PalisadeError } from '../core/errors.js';
import type { Severity } from '../core/types.js';
import { activate, type ActiveCheck } from './run.js';
import type { Check, ClusterCheck, PodCheck, ResourceCheck } from './types.js';

/** The posture checks that run, split by scope, with params and severities from `checks:` in .palisade.yaml. */
export interface PostureChecks {
  pod: Array<ActiveCheck<PodCheck>>;
  resource: Array<ActiveCheck<ResourceCheck>>;
  cluster: Array<ActiveCheck<ClusterCheck>>;
}

/** A bad `checks:` entry: CONFIG_INVALID naming the file:line:column of the field (the CLI exits 2). */
export function checksConfigError(config: Config | undefined, path: Array<string | number>, message: string): PalisadeError {
  const location = config ? configLocation(config, path) : undefined;
  return new PalisadeError('CONFIG_INVALID', `config field ${path.join('.')}: ${message}`, { errorClass: 'fatal', ...(location ? { location } : {}) });
}

/**
 * The posture checks of `checks` (every one, in their order) made ready with the params and
 * severity `checks:` gives each, params validated against the check's own schema. Entries for
 * other rules are not looked at: `palisade audit` validates them against the whole rule catalogue
 * (audit/settings.ts), which `palisade serve` loads only when the config has such entries.
 */
export function activateChecks(checks: readonly Check[], config?: Config): PostureChecks {
  const settings = config?.checks ?? {};
  const active: PostureChecks = { pod: [], resource: [], cluster: [] };
  for (const check of checks) {
    const setting = settings[check.meta.id];
    if (setting === false || (typeof setting === 'object' && setting.enabled === false)) continue;
    const given = typeof setting === 'object' ? setting.params : undefined;
    const parsed = check.meta.params.safeParse({ ...(check.meta.defaultParams as object), ...(given ?? {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw checksConfigError(config, ['checks', check.meta.id, 'params', ...(issue.path as Array<string | number>)], issue.message);
    }
    const severity: Severity = typeof setting === 'object' && setting.severity ? setting.severity : check.meta.severity;
    if (check.scope === 'pod') active.pod.push(activate(check, parsed.data, severity));
    else if (check.scope === 'resource') active.resource.push(activate(check, parsed.data, severity));
    else active.cluster.push(activate(check, parsed.data, severity));
  }
  return active;
}

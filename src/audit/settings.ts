import type { Config } from '../core/config.js';
import { CHECKS, checkById, checksConfigError, postureChecks, type PostureChecks } from '../checks/index.js';
import type { Finding, Severity } from '../core/types.js';
import { catalogue } from './catalogue.js';

/** The checks an audit runs, split by scope, with params and severities from `checks:` in .palisade.yaml. */
export interface ActiveChecks extends PostureChecks {
  /** Ids of the checks that run (for the compliance view: what was tested). */
  enabled: Set<string>;
  /**
   * Config for the checks of other engines (PSS, Dockerfile, network lint): drops the disabled ones'
   * findings and applies severity overrides. Posture checks get theirs when they run.
   */
  adjust: (findings: Finding[]) => Finding[];
}

/**
 * Validate `checks:` against the rule catalogue and the checks' own schemas and build the active
 * set. A bad entry is a CONFIG_INVALID error naming the file:line:column of the field (the CLI exits 2).
 */
export function activeChecks(config?: Config): ActiveChecks {
  const settings = config?.checks ?? {};
  const entries = catalogue().filter((entry) => !checkById(entry.id));
  const others = new Set(entries.map((entry) => entry.id));
  // `scan image` and `verify` checks are configurable but do not run in an audit of manifests.
  const audited = entries.filter((entry) => entry.module !== 'image' && entry.module !== 'verify').map((entry) => entry.id);
  const disabled = new Set<string>();
  const severities = new Map<string, Severity>();
  for (const [id, setting] of Object.entries(settings)) {
    if (checkById(id)) continue;
    if (!others.has(id)) throw checksConfigError(config, ['checks', id], `unknown check "${id}"; run palisade checks list`);
    if (typeof setting === 'object' && setting.params !== undefined) throw checksConfigError(config, ['checks', id, 'params'], `${id} takes no params`);
    if (setting === false || (typeof setting === 'object' && setting.enabled === false)) disabled.add(id);
    else if (typeof setting === 'object' && setting.severity) severities.set(id, setting.severity);
  }
  const adjust = (findings: Finding[]): Finding[] =>
    disabled.size === 0 && severities.size === 0 ? findings : findings.filter((f) => !disabled.has(f.checkId)).map((f) => (severities.has(f.checkId) ? { ...f, severity: severities.get(f.checkId)! } : f));
  const posture = postureChecks(config);
  const enabled = new Set(audited.filter((id) => !disabled.has(id)));
  const running = new Set([...posture.pod, ...posture.resource, ...posture.cluster].map((active) => active.check));
  for (const check of CHECKS) if (running.has(check)) enabled.add(check.meta.id);
  return { ...posture, enabled, adjust };
}

/**
 * What `.palisade.yaml` tells the Dockerfile rules: the registry allow-list of
 * IMAGE_REGISTRY_NOT_ALLOWED judges the images a build pulls too (one list for pods and builds).
 * A malformed list is reported by activeChecks when the audit validates `checks:`.
 */
export function dockerfileScanOptions(config?: Config): { allowedRegistries?: string[] } {
  const setting = config?.checks.IMAGE_REGISTRY_NOT_ALLOWED;
  const list = typeof setting === 'object' ? (setting.params as { allowedRegistries?: unknown } | undefined)?.allowedRegistries : undefined;
  return Array.isArray(list) && list.every((r): r is string => typeof r === 'string') ? { allowedRegistries: list } : {};
}

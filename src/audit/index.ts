import type { Config } from '../core/config.js';
import type { PalisadeError } from '../core/errors.js';
import type { LoadResult } from '../core/load.js';
import type { Finding } from '../core/types.js';
import type { Level } from '../pss/index.js';
import { evaluateResources, type NamespacePolicy, type PssResult } from '../pss/resources.js';
import { DEFAULT_TABLE, workloadRowsFromConfig, type WorkloadTable } from '../workloads/index.js';

/**
 * `palisade audit` as a library call: Pod Security Standards at the chosen level plus every
 * posture check, over resources the loader read. Pure: no printing, no exit.
 */
export interface AuditOptions {
  level?: Level;
  version?: string;
  config?: Config;
  /** Namespace policies gathered beforehand, when resources arrive file by file. */
  policies?: ReadonlyMap<string, NamespacePolicy>;
}

export interface AuditOutcome {
  results: PssResult[];
  findings: Finding[];
  errors: PalisadeError[];
}

const tables = new WeakMap<Config, WorkloadTable>();

/** The built-in workloads table plus the config's rows (built once per config). */
export function workloadTable(config?: Config): WorkloadTable {
  if (!config || config.workloads.length === 0) return DEFAULT_TABLE;
  let table = tables.get(config);
  if (!table) {
    table = DEFAULT_TABLE.extend(workloadRowsFromConfig(config.workloads));
    tables.set(config, table);
  }
  return table;
}

export function audit(loaded: Pick<LoadResult, 'resources'>, options: AuditOptions = {}): AuditOutcome {
  const table = workloadTable(options.config);
  const pss = evaluateResources(loaded.resources, { ...(options.level ? { level: options.level } : {}), ...(options.version ? { version: options.version } : {}), ...(options.policies ? { policies: options.policies } : {}), table });
  const findings = [...pss.findings, ...discoveredFindings(pss.results)];
  return { results: pss.results, findings, errors: pss.errors };
}

/** A pod spec found by structure only: say so once per kind, so users can add it to the table. */
function discoveredFindings(results: readonly PssResult[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const result of results) {
    if (!result.discovered) continue;
    const key = `${result.resource.apiVersion}|${result.resource.kind}|${result.podSpecPath.replace(/\/\d+(?=\/|$)/g, '/*')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      checkId: 'WORKLOAD_DISCOVERED',
      severity: 'info',
      title: 'Pod spec found in a kind palisade does not know',
      message: `${result.resource.kind} (${result.resource.apiVersion}) holds a pod spec at ${result.podSpecPath}; it was found by its shape. Add the kind to workloads: in .palisade.yaml to make this explicit.`,
      resource: result.resource,
      path: result.podSpecPath,
      location: result.location,
      remediation: 'Add a workloads: entry with the apiVersion, kind and pod spec pointer to .palisade.yaml.',
    });
  }
  return findings;
}

import type { Config } from '../core/config.js';
import { DEFAULT_TABLE, workloadRowsFromConfig, type WorkloadTable } from '../workloads/index.js';

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

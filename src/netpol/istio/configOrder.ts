import type { Resource } from '../../core/load.js';
import { obj } from '../layers/parsing.js';

/**
 * istio's order of configs (pilot/pkg/model/config.go configCompareByCreationTime): creation time,
 * then name, then namespace. Where several configs could apply, the first in this order does.
 */
export type ConfigOrder = readonly [created: string, name: string, namespace: string];

/** A config's place in that order; a missing creationTimestamp is the zero time, the oldest. */
export function configOrder(r: Resource, name: string, namespace: string): ConfigOrder {
  const created = obj(r.object.metadata)?.creationTimestamp;
  return [typeof created === 'string' ? created : '', name, namespace];
}

export function compareConfigOrder(a: ConfigOrder, b: ConfigOrder): number {
  for (let k = 0; k < 3; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
  return 0;
}

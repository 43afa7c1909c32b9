import { joinPointer } from '../core/pointer.js';
import { isPlainObject, type PlainObject } from '../core/object.js';

/**
 * A container's `resources` as the resource checks read it: the stanza and its `requests` and
 * `limits` maps, each only where it is a mapping.
 */
export interface ContainerResources {
  declared?: PlainObject;
  requests?: PlainObject;
  limits?: PlainObject;
}

export function containerResources(container: PlainObject): ContainerResources {
  const declared = isPlainObject(container.resources) ? container.resources : undefined;
  if (!declared) return {};
  return {
    declared,
    ...(isPlainObject(declared.requests) ? { requests: declared.requests } : {}),
    ...(isPlainObject(declared.limits) ? { limits: declared.limits } : {}),
  };
}

/** A quantity is written for `name` in the map (null is unset, as the API server reads it). */
export function quantitySet(map: PlainObject | undefined, name: string): boolean {
  return map !== undefined && map[name] !== undefined && map[name] !== null;
}

/** Where a finding about a missing quantity points: the map it belongs in, else `resources`, else the container. */
export function missingQuantityPath(containerPath: string, resources: ContainerResources, field: 'requests' | 'limits'): string {
  if (resources[field]) return joinPointer(containerPath, 'resources', field);
  return resources.declared ? joinPointer(containerPath, 'resources') : containerPath;
}

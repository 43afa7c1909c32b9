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

/**
 * Pod-level resources (PodSpec.resources, KEP-2837 "Pod Level Resource Specifications", alpha in
 * Kubernetes 1.32, beta in 1.34): the total for all containers of the pod. Only cpu, memory and
 * hugepages-* may be set there (IsSupportedPodLevelResource); ephemeral-storage may not, and the
 * API server refuses it. A pod-level limit caps every container that sets none (the kubelet sets
 * each container's cgroup maximum to it); a pod-level request is what the scheduler places the
 * pod by, and a pod-level limit without a request defaults the pod-level request to it
 * (pkg/apis/core/v1/defaults.go, defaultPodRequests).
 */
export function podLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/** The pod spec's own `resources` (same shape as a container's), as the resource checks read it. */
export function podResources(spec: PlainObject): ContainerResources {
  return containerResources(spec);
}

/** The pod caps `name` for all its containers: a pod-level limit of a resource pods may limit. */
export function podLimits(pod: ContainerResources, name: string): boolean {
  return podLevelResource(name) && quantitySet(pod.limits, name);
}

/** The pod is scheduled with a request for `name`: written at pod level, or defaulted from the pod-level limit. */
export function podRequests(pod: ContainerResources, name: string): boolean {
  return podLevelResource(name) && (quantitySet(pod.requests, name) || quantitySet(pod.limits, name));
}

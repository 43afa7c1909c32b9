import { joinPointer } from '../core/pointer.js';
import { isPlainObject } from '../core/object.js';

/**
 * Kubernetes applies a pod's securityContext to every container unless the container sets the same
 * field. Getting this wrong is the false positive users cite most against other tools
 * (anchors.md §4.2), so the merge lives here, once, and every check reads the merged view.
 */

/** PodSecurityContext fields that a container inherits (core/v1 types: "overridden by SecurityContext"). */
export const INHERITED_FIELDS = ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'seLinuxOptions', 'seccompProfile', 'windowsOptions', 'appArmorProfile'] as const;
export type InheritedField = (typeof INHERITED_FIELDS)[number];

const INHERITED: ReadonlySet<string> = new Set(INHERITED_FIELDS);

export interface Setting {
  value: unknown;
  /** Pointer of the field that decided the value: the container's, or the pod's. */
  path: string;
  from: 'container' | 'pod';
}

export interface SecurityContextView {
  /** The effective value of a field and where it was set, or undefined when nobody set it. */
  get(field: string): Setting | undefined;
  /** Where a fix belongs when the field is missing: the container's securityContext, or the container. */
  readonly containerPath: string;
  /** A container-only field written at pod level, where Kubernetes ignores it. */
  podLevelOnly(field: string): Setting | undefined;
}

type PlainObject = Readonly<Record<string, unknown>>;

/**
 * The merged view for one container. `podSecurityContext` is the pod spec's `securityContext` at
 * `podPath`; the container's own is read from `container.securityContext` at `containerPath`.
 */
export function mergeSecurityContext(podSecurityContext: unknown, podPath: string, container: PlainObject, containerPath: string): SecurityContextView {
  const pod = isPlainObject(podSecurityContext) ? podSecurityContext : {};
  const own = isPlainObject(container.securityContext) ? container.securityContext : undefined;
  const ownPath = joinPointer(containerPath, 'securityContext');
  return {
    containerPath: own ? ownPath : containerPath,
    get(field) {
      if (own && own[field] !== undefined && own[field] !== null) return { value: own[field], path: joinPointer(ownPath, field), from: 'container' };
      if (INHERITED.has(field) && pod[field] !== undefined && pod[field] !== null) return { value: pod[field], path: joinPointer(podPath, field), from: 'pod' };
      return undefined;
    },
    podLevelOnly(field) {
      if (INHERITED.has(field) || pod[field] === undefined || pod[field] === null) return undefined;
      return { value: pod[field], path: joinPointer(podPath, field), from: 'pod' };
    },
  };
}

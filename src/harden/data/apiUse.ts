/**
 * Signs that a pod talks to the Kubernetes API, so its service-account token must stay mounted.
 * A field anywhere in the resource with this value marks every pod spec of it.
 */
export interface ApiUseMarker {
  field: string;
  value: unknown;
  why: string;
}

export const API_USE_MARKERS: readonly ApiUseMarker[] = [
  { field: 'enableInTreeAutoscaling', value: true, why: 'the KubeRay autoscaler sidecar calls the API server' },
];

/** Service accounts that carry no permissions of their own: naming one says nothing about API use. */
export const DEFAULT_SERVICE_ACCOUNTS: readonly string[] = ['', 'default'];

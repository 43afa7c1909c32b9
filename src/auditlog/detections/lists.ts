/**
 * The lists and macros palisade's ML rules share, generated from knowledge.ts. They stand alone
 * (no macro of Falco's file is used), so the ML rules load with --no-default-rules too.
 */
import { EVERYONE_GROUPS, ML_ADMIN_PORTS, ML_NAMESPACES, ML_POD_NAME_MARKERS, ML_POD_NAME_WORDS, ML_SERVING_RESOURCES, ML_SPEC_KEYS, MODEL_STORAGE_SECRET_WORDS, POWERFUL_CLUSTER_ROLES } from './knowledge.js';

export type ListItem = { list: string; items: string[] };
export type MacroItem = { macro: string; condition: string };

/** `name` as a dash-separated word of the field's value. */
function wordGlobs(field: string, words: readonly string[]): string {
  return words.map((w) => `${field} glob "${w}" or ${field} glob "${w}-*" or ${field} glob "*-${w}" or ${field} glob "*-${w}-*"`).join(' or ');
}

export function sharedItems(): Array<ListItem | MacroItem> {
  return [
    { list: 'palisade_ml_namespaces', items: [...ML_NAMESPACES] },
    { list: 'palisade_ml_admin_ports', items: ML_ADMIN_PORTS.map(String) },
    { list: 'palisade_ml_serving_resources', items: [...ML_SERVING_RESOURCES] },
    { list: 'palisade_powerful_cluster_roles', items: [...POWERFUL_CLUSTER_ROLES] },
    { list: 'palisade_everyone_groups', items: [...EVERYONE_GROUPS] },
    { list: 'palisade_health_endpoints', items: ['/healthz', '/livez', '/readyz', '/version'] },
    { macro: 'palisade_complete', condition: 'jevt.value[/stage] = ResponseComplete' },
    // Exec and attach are long-running: the API server logs ResponseStarted (101) and, when the stream ends, ResponseComplete; one alert per auditID.
    { macro: 'palisade_stream_stage', condition: 'jevt.value[/stage] in (ResponseStarted, ResponseComplete)' },
    { macro: 'palisade_not_denied', condition: 'not ka.response.code in (400, 401, 403, 404, 409, 422, 500) and not ka.auth.decision = forbid' },
    { macro: 'palisade_succeeded', condition: '(ka.response.code startswith 2 or ka.response.code = 101)' },
    { macro: 'palisade_ml_pod_name', condition: `(${ML_POD_NAME_MARKERS.map((m) => `ka.target.name contains "${m}"`).join(' or ')} or ${wordGlobs('ka.target.name', ML_POD_NAME_WORDS)})` },
    { macro: 'palisade_ml_workload', condition: '(ka.target.namespace in (palisade_ml_namespaces) or palisade_ml_pod_name)' },
    { macro: 'palisade_model_storage_secret', condition: `(${wordGlobs('ka.target.name', MODEL_STORAGE_SECRET_WORDS)})` },
    { macro: 'palisade_ml_spec_change', condition: `(${ML_SPEC_KEYS.map((k) => `jevt.value[/requestObject] contains '"${k}"' or jevt.value[/requestObject] contains '/${k}'`).join(' or ')})` },
    { macro: 'palisade_anonymous', condition: '(ka.user.name = system:anonymous or ka.user.groups intersects (system:unauthenticated))' },
    { macro: 'palisade_health_request', condition: '(ka.uri in (palisade_health_endpoints) or ka.uri startswith "/healthz?" or ka.uri startswith "/livez?" or ka.uri startswith "/readyz?" or ka.uri startswith "/healthz/" or ka.uri startswith "/livez/" or ka.uri startswith "/readyz/")' },
    // Users extend these to allow known activity, as Falco's user_known_* macros.
    { macro: 'palisade_known_ml_exec', condition: '(jevt.rawtime = 0)' },
    { macro: 'palisade_known_ml_spec_writers', condition: '(jevt.rawtime = 0)' },
    { macro: 'palisade_known_masters_users', condition: '(jevt.rawtime = 0)' },
  ];
}

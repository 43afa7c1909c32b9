import { auditExtractor, type AuditEvent } from './extract.js';
import { JSON_FIELDS, K8SAUDIT_FIELDS, PALISADE_FIELDS } from './k8saudit.js';
import type { FieldCatalog, FieldInfo } from './types.js';

export type { ExtractorFactory, FieldArgSpec, FieldCatalog, FieldInfo, FieldType, FieldValue } from './types.js';
export { asString, rawTime, type AuditEvent, type JsonObject } from './extract.js';
export { JSON_FIELDS, K8SAUDIT_FIELDS, PALISADE_FIELDS } from './k8saudit.js';

/** A catalog over field tables; `extractor` may be left out for tables that only validate. */
export function fieldCatalog<E>(source: string, tables: ReadonlyArray<readonly FieldInfo[]>, extractor: (info: FieldInfo) => FieldCatalog<E>['extractor'] extends (n: string) => infer R ? R : never = () => undefined as never): FieldCatalog<E> {
  const byName = new Map<string, FieldInfo>();
  for (const table of tables) for (const f of table) byName.set(f.name, f);
  return {
    source,
    info: (name) => byName.get(name),
    extractor: (name) => {
      const info = byName.get(name);
      return info ? extractor(info) : undefined;
    },
  };
}

/** The `k8s_audit` source: the k8saudit and json plugins' fields, evaluated on audit Events. */
export const K8S_AUDIT_CATALOG: FieldCatalog<AuditEvent> = fieldCatalog<AuditEvent>('k8s_audit', [K8SAUDIT_FIELDS, JSON_FIELDS, PALISADE_FIELDS], auditExtractor);

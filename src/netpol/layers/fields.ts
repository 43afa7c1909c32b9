import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import { isPlainObject } from '../../core/object.js';
import { MESH_FIELDS, type FieldTree } from '../../knowledge/index.js';
import { escapePointer } from '../selector.js';
import { MeshProblems } from './model.js';

/**
 * Fields a Calico, Cilium or Istio object holds that its kind's schema does not have. The API server
 * refuses such an object under strict field validation (kubectl's default) and a lenient client drops
 * the field; either way a misspelt `notPrincipal` or `fromEndpoint` would otherwise be read as absent
 * without a word, which can widen or narrow a policy. Only keys are checked: the layer parsers judge values.
 */
export function meshFieldWarnings(resources: readonly Resource[]): PalisadeError[] {
  const warnings: PalisadeError[] = [];
  for (const r of resources) {
    const group = String(r.object.apiVersion ?? '').split('/')[0];
    const kind = String(r.object.kind ?? '');
    const tree = MESH_FIELDS[`${group}/${kind}`];
    if (tree === undefined) continue;
    const p = new MeshProblems(r);
    walk(r.object, tree, '', kind, p);
    warnings.push(...p.warnings);
  }
  return warnings;
}

function walk(value: unknown, tree: FieldTree, pointer: string, kind: string, p: MeshProblems): void {
  if (tree === 0 || tree === 1) return;
  if (Array.isArray(tree)) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, tree[0]!, `${pointer}/${i}`, kind, p));
    return;
  }
  if (!isPlainObject(value)) return;
  const fields = tree as { readonly [field: string]: FieldTree };
  const mapValues = fields['*'];
  for (const [key, sub] of Object.entries(value)) {
    const at = `${pointer}/${escapePointer(key)}`;
    const node = mapValues ?? fields[key];
    if (node === undefined) p.warn('MESH_UNKNOWN_FIELD', at, `${JSON.stringify(key)} in ${kind} ${pointer || '/'}`);
    else walk(sub, node, at, kind, p);
  }
}

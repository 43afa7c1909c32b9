import { Lexer, parseAllDocuments } from 'yaml';
import { KUBERNETES_YAML_OPTIONS, loadText } from '../../src/core/load.js';
import type { HardenedText } from '../../src/harden/index.js';
import { clone, setAt, type PlainObject } from '../../src/harden/objects.js';
import { evaluatePodSpec } from '../../src/pss/index.js';
import { evaluationSpec, findPodSpecs } from '../../src/workloads/index.js';

/** Every comment of a YAML text, in order, as the lexer sees them (never a `#` inside a string). */
export function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((token) => token.startsWith('#'));
}

/** The documents of a text as plain values (null for a document that does not parse). */
export function trees(text: string): unknown[] {
  return parseAllDocuments(text, KUBERNETES_YAML_OPTIONS).map((d) => (d.errors.length > 0 ? null : d.toJS({ maxAliasCount: -1 })));
}

/**
 * What the hardened text must parse to: the original trees plus exactly the reported changes,
 * applied by the naive model (set at a pointer, creating maps).
 */
export function expectedTrees(result: HardenedText): unknown[] {
  const documents = trees(result.original).map((d) => clone(d));
  const loaded = loadText(result.path, result.original);
  for (const resource of loaded.resources) {
    const changes = result.results.filter((r) => r.resource.name === resource.ref.name && r.resource.kind === resource.ref.kind && r.resource.namespace === resource.ref.namespace).flatMap((r) => r.changes);
    const document = documents[resource.documentIndex] as PlainObject;
    for (const change of changes) setAt(document, resource.documentPointer + change.pointer, clone(change.value));
  }
  return documents;
}

export interface PodVerdict {
  resource: string;
  podSpecPath: string;
  allowed: boolean;
  violated: string[];
}

/** PSS verdicts of every pod spec in a text. */
export function verdicts(path: string, text: string, level: 'baseline' | 'restricted' = 'restricted', version = 'latest'): PodVerdict[] {
  const out: PodVerdict[] = [];
  for (const resource of loadText(path, text).resources) {
    for (const ref of findPodSpecs(resource.object)) {
      const evaluation = evaluatePodSpec(ref.metadata, evaluationSpec(ref).spec, { level, version });
      out.push({ resource: `${resource.ref.kind}/${resource.ref.name}#${resource.indexInFile}`, podSpecPath: ref.podSpecPath, allowed: evaluation.allowed, violated: evaluation.violations.map((v) => v.check) });
    }
  }
  return out;
}

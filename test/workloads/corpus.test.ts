import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { findPodSpecs, type PodSpecRef } from '../../src/workloads/index.js';
import { SHARED } from '../helpers/shared.js';

interface IndexEntry {
  file: string;
  podSpecPaths: string[];
}

const corpus = join(SHARED, 'corpus/ml-manifests');
const index = JSON.parse(readFileSync(join(corpus, 'index.json'), 'utf8')) as IndexEntry[];

/** Our pointers in the corpus index's notation: `/spec/workerGroupSpecs/1/template/spec` → `spec.workerGroupSpecs[].template.spec.containers`. */
function notation(kind: string, ref: PodSpecRef): string[] {
  const dotted = (pointer: string): string =>
    pointer
      .slice(1)
      .split('/')
      .map((t) => (/^\d+$/.test(t) ? '[]' : t))
      .join('.')
      .replace(/\.\[\]/g, '[]');
  const out: string[] = [];
  if (ref.containers.some((c) => c.path.startsWith(ref.podSpecPath + '/containers/'))) out.push(`${kind}:${dotted(ref.podSpecPath + '/containers')}`);
  for (const c of ref.containers) {
    if (!/\/(containers|initContainers|ephemeralContainers)\/\d+$/.test(c.path)) out.push(`${kind}:${dotted(c.path)} (container object)`);
  }
  return out;
}

describe('ml-manifests corpus: every listed pod spec and container object is found', () => {
  it.each(index.map((e) => [e.file, e] as const))('%s', (file, entry) => {
    const loaded = loadText(file, readFileSync(join(corpus, file), 'utf8'));
    const found = new Set<string>();
    for (const resource of loaded.resources) for (const ref of findPodSpecs(resource.object)) for (const n of notation(resource.ref.kind, ref)) found.add(n);
    expect([...found].sort()).toEqual([...new Set(entry.podSpecPaths)].sort());
  });
});

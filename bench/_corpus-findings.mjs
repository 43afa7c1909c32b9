// The findings-heavy audit corpus (issue 23): the insecure example stack and the ML manifests of
// ../shared/corpus/ml-manifests (real KServe, KubeRay, Kubeflow, vLLM… files), replicated with
// unique names until it holds `resources` objects, written `perFile` documents to a file in a temp
// dir. Real stacks are this insecure: several findings per resource, not the bench corpus's few.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = [join(ROOT, 'examples/ml-serving-insecure'), join(ROOT, '../shared/corpus/ml-manifests')];

function yamlFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every Kubernetes object of the sources (documents with apiVersion, kind and metadata.name). */
function sourceObjects() {
  const out = [];
  for (const file of SOURCES.flatMap(yamlFiles)) {
    let docs;
    try {
      docs = parseAllDocuments(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length > 0) continue;
      const value = doc.toJS();
      if (value && typeof value === 'object' && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && typeof value.metadata?.name === 'string' && value.kind !== 'List') out.push(value);
    }
  }
  return out;
}

/** Writes the corpus once per size (a marker holds its byte count); returns {dir, bytes, resources, files}. */
export function ensureFindingsCorpus(root, resources = 20_000, perFile = 40) {
  const dir = join(root, `audit-findings-v1-${resources}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return { dir, ...JSON.parse(readFileSync(marker, 'utf8')) };
  mkdirSync(dir, { recursive: true });
  const objects = sourceObjects();
  if (objects.length === 0) throw new Error(`no source manifests under ${SOURCES.join(', ')}`);
  let bytes = 0;
  let files = 0;
  let docs = [];
  const flush = () => {
    const text = docs.join('---\n');
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, `part-${String(files++).padStart(4, '0')}.yaml`), text);
    docs = [];
  };
  for (let i = 0; i < resources; i++) {
    const object = structuredClone(objects[i % objects.length]);
    // A unique name per copy, so cluster checks (duplicates, bindings, selectors) see distinct objects.
    object.metadata.name = `${object.metadata.name}-r${Math.floor(i / objects.length)}`;
    docs.push(stringify(object, { lineWidth: 0 }));
    if (docs.length === perFile) flush();
  }
  if (docs.length > 0) flush();
  const facts = { bytes, resources, files, sources: objects.length };
  writeFileSync(marker, JSON.stringify(facts));
  return { dir, ...facts };
}

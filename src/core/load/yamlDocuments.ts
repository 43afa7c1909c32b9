import { LineCounter, parseAllDocuments } from 'yaml';
import { addJsonDocuments, parseJsonDocuments } from './jsonFastPath.js';
import { addBlockDocuments } from './blockDocuments.js';
import { addYamlDocument } from './yamlDocument.js';
import { readBlockYaml } from './blockYaml.js';
import type { SourceFile } from './resource.js';
import type { LoadOptions, LoadResult } from './types.js';
import { indentQuotedContinuations } from './quotedIndent.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';

/** Add one manifest text's resources and errors to `result`: JSON or Kubernetes-style block YAML by a fast path when the text allows, else the yaml package's documents. */
export function addManifestText(result: LoadResult, path: string, text: string, options: LoadOptions): void {
  let lineCounter = new LineCounter();
  let source: SourceFile = { path, text, lineCounter };
  const json = options.jsonFastPath === false ? undefined : parseJsonDocuments(text);
  if (json) {
    addJsonDocuments(result, source, json, options.maxDepth);
    return;
  }
  const block = options.blockFastPath === false ? undefined : readBlockYaml(text, options.maxAliasCount);
  // A file with a document outside the block reader's subset is parsed whole by the yaml package,
  // once: parsing a refused document alone first and the file again on an error was tried, and a
  // second parse of a deeply nested document can crash V8's regexp compiler (not catchable).
  if (block && !block.documents.some((d) => d.refused)) {
    addBlockDocuments(result, source, block, options);
    return;
  }
  let documents = parseStream(text, lineCounter);
  // go-yaml (kubectl, the API server) reads quoted scalars whose continuation lines are indented
  // less than their block; read them as it does when that is what failed (see quotedIndent.ts).
  const failed = (docs: typeof documents): number => docs.filter((d) => d.errors.some((e) => e.code !== 'DUPLICATE_KEY')).length;
  const before = failed(documents);
  if (before > 0) {
    const indented = indentQuotedContinuations(text);
    if (indented !== undefined) {
      const counter = new LineCounter();
      const again = parseStream(indented, counter);
      if (failed(again) < before) {
        documents = again;
        lineCounter = counter;
        source = { path, text: indented, lineCounter };
      }
    }
    // kubectl splits the stream at `---` lines before decoding (apimachinery's YAMLReader), so an
    // unclosed quote fails its own document only; the yaml package lets it run on to the end.
    if (failed(documents) > 0) documents = bySeparatorLines(source.text) ?? documents;
  }
  // parseAllDocuments returns an EmptyStream (an empty array) for text with no documents.
  let indexInFile = 0;
  documents.forEach((document, documentIndex) => {
    indexInFile = addYamlDocument(result, source, document, documentIndex, indexInFile, options);
  });
}

/** Largest padding (characters) the per-document fallback may parse; beyond it the stream's own split stands. */
const MAX_SPLIT_WORK = 32 * 1024 * 1024;

/**
 * The documents of `text` parsed one by one between `---` separator lines (a line that is `---`
 * with only white space or a comment after it), as kubectl's reader splits them. Each document is
 * parsed at its own offsets (the text before it blanked to spaces, line breaks kept), so positions
 * and the file's line counter stay those of the whole text. undefined when there is one document.
 */
function bySeparatorLines(text: string): Documents | undefined {
  const starts = [0];
  const separator = /^---[ \t]*(#.*)?\r?$/gm;
  for (let m = separator.exec(text); m; m = separator.exec(text)) if (m.index > 0) starts.push(m.index);
  if (starts.length < 2) return undefined;
  let work = 0;
  for (const start of starts) work += start;
  if (work > MAX_SPLIT_WORK) return undefined;
  const documents: Array<Documents[number]> = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const padded = text.slice(0, start).replace(/[^\n]/g, ' ') + text.slice(start, end);
    const parsed = parseStream(padded, new LineCounter());
    if (Array.isArray(parsed)) documents.push(...parsed);
  });
  return documents as unknown as Documents;
}

const parseStream = (text: string, lineCounter: LineCounter) => parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, lineCounter });
type Documents = ReturnType<typeof parseStream>;

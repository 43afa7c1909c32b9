import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import { fields, messages, ProtobufError, str } from './protobuf.js';
import { KNOWN_TF_OPS } from './tfOps.js';

/** Ops that run Python or write files when the graph runs (verdict policy: malicious). */
export const DANGEROUS_TF_OPS: ReadonlySet<string> = new Set(['PyFunc', 'PyFuncStateless', 'EagerPyFunc', 'WriteFile']);
/** Ops that read the file system: sometimes legitimate (suspicious). */
export const RISKY_TF_OPS: ReadonlySet<string> = new Set(['ReadFile', 'MatchingFiles', 'ImmutableConst', 'FixedLengthRecordDataset', 'TFRecordDataset', 'TextLineDataset']);

// Field numbers from tensorflow/core/protobuf/saved_model.proto, meta_graph.proto, graph.proto, function.proto.
const SAVED_MODEL = { metaGraphs: 2 };
const META_GRAPH = { graphDef: 2 };
const GRAPH = { node: 1, library: 2 };
const NODE = { op: 2 };
const LIBRARY = { function: 1 };
const FUNCTION = { signature: 1, nodeDef: 3 };

/** Ops judged so far in one file: an unknown op is reported once, not once per node. */
interface Seen {
  unknown: Set<string>;
}

function judgeNodes(nodes: Uint8Array[], where: string, functions: ReadonlySet<string>, seen: Seen, out: ModelFinding[]): void {
  for (const node of nodes) {
    const op = str(fields(node), NODE.op) ?? '';
    if (DANGEROUS_TF_OPS.has(op)) out.push(finding('TF_DANGEROUS_OP', { op, where }));
    else if (RISKY_TF_OPS.has(op)) out.push(finding('TF_RISKY_OP', { op, where }));
    else if (!KNOWN_TF_OPS.has(op) && !functions.has(op) && !seen.unknown.has(op)) {
      // A node calls a registered op or a function of the graph's library; anything else is a custom kernel.
      seen.unknown.add(op);
      out.push(finding('TF_UNKNOWN_OP', { op, where }));
    }
  }
}

function judgeGraph(graph: Uint8Array, seen: Seen, out: ModelFinding[]): void {
  const g = fields(graph);
  const library = messages(g, GRAPH.library).flatMap((lib) => messages(fields(lib), LIBRARY.function).map((fn) => fields(fn)));
  const named = library.map((f) => ({ f, name: messages(f, FUNCTION.signature).map((s) => str(fields(s), 1) ?? '')[0] ?? '' }));
  const functions = new Set(named.map((n) => n.name));
  judgeNodes(messages(g, GRAPH.node), 'the graph', functions, seen, out);
  for (const { f, name } of named) judgeNodes(messages(f, FUNCTION.nodeDef), `function ${JSON.stringify(name)}`, functions, seen, out);
}

/**
 * A TensorFlow protobuf: saved_model.pb (every op of every meta graph, function library included)
 * or a frozen GraphDef (.pb files whose field 1 holds nodes rather than a schema version).
 */
export function scanSavedModel(bytes: Uint8Array): ModelFinding[] {
  const out: ModelFinding[] = [];
  const seen: Seen = { unknown: new Set() };
  try {
    const top = fields(bytes);
    // SavedModel field 1 is a varint (schema version); GraphDef field 1 holds node messages.
    const frozen = top.some((f) => f.no === GRAPH.node && f.value instanceof Uint8Array);
    const metaGraphs = frozen ? [] : messages(top, SAVED_MODEL.metaGraphs);
    if (frozen) {
      judgeGraph(bytes, seen, out);
      return out;
    }
    if (metaGraphs.length === 0) return [finding('TF_MALFORMED', { detail: 'neither a SavedModel (no meta graph) nor a GraphDef (no node)' })];
    for (const meta of metaGraphs) for (const graph of messages(fields(meta), META_GRAPH.graphDef)) judgeGraph(graph, seen, out);
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    return [...out, finding('TF_MALFORMED', { detail: error.message })];
  }
  return out;
}

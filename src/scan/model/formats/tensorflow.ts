import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import { fields, messages, ProtobufError, str } from './protobuf.js';

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

function judgeNodes(nodes: Uint8Array[], where: string, out: ModelFinding[]): void {
  for (const node of nodes) {
    const op = str(fields(node), NODE.op) ?? '';
    if (DANGEROUS_TF_OPS.has(op)) out.push(finding('TF_DANGEROUS_OP', { op, where }));
    else if (RISKY_TF_OPS.has(op)) out.push(finding('TF_RISKY_OP', { op, where }));
  }
}

function judgeGraph(graph: Uint8Array, out: ModelFinding[]): void {
  const g = fields(graph);
  judgeNodes(messages(g, GRAPH.node), 'the graph', out);
  for (const library of messages(g, GRAPH.library)) {
    for (const fn of messages(fields(library), LIBRARY.function)) {
      const f = fields(fn);
      const name = messages(f, FUNCTION.signature).map((s) => str(fields(s), 1) ?? '')[0] ?? '';
      judgeNodes(messages(f, FUNCTION.nodeDef), `function ${JSON.stringify(name)}`, out);
    }
  }
}

/**
 * A TensorFlow protobuf: saved_model.pb (every op of every meta graph, function library included)
 * or a frozen GraphDef (.pb files whose field 1 holds nodes rather than a schema version).
 */
export function scanSavedModel(bytes: Uint8Array): ModelFinding[] {
  const out: ModelFinding[] = [];
  try {
    const top = fields(bytes);
    // SavedModel field 1 is a varint (schema version); GraphDef field 1 holds node messages.
    const frozen = top.some((f) => f.no === GRAPH.node && f.value instanceof Uint8Array);
    const metaGraphs = frozen ? [] : messages(top, SAVED_MODEL.metaGraphs);
    if (frozen) {
      judgeGraph(bytes, out);
      return out;
    }
    if (metaGraphs.length === 0) return [finding('TF_MALFORMED', { detail: 'neither a SavedModel (no meta graph) nor a GraphDef (no node)' })];
    for (const meta of metaGraphs) for (const graph of messages(fields(meta), META_GRAPH.graphDef)) judgeGraph(graph, out);
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    return [...out, finding('TF_MALFORMED', { detail: error.message })];
  }
  return out;
}

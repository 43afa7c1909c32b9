import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import { escapes } from './zip.js';
import { fields, messages, num, ProtobufError, str } from './protobuf.js';

/** Operator domains that ONNX runtimes implement themselves; anything else needs a native library. */
export const BUILTIN_ONNX_DOMAINS: ReadonlySet<string> = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'ai.onnx.training', 'ai.onnx.preview.training', 'com.microsoft', 'com.microsoft.nchwc', 'com.ms.internal.nhwc', 'org.pytorch.aten']);

// Field numbers from onnx/onnx.proto.
const MODEL = { graph: 7, functions: 25 };
const GRAPH = { node: 1, initializer: 5, sparseInitializer: 15 };
const NODE = { opType: 4, domain: 7, attribute: 5 };
const ATTRIBUTE = { t: 5, g: 6, tensors: 10, graphs: 11 };
const TENSOR = { name: 8, externalData: 13, dataLocation: 14 };
const FUNCTION = { node: 7 };
const EXTERNAL = 1;

function tensorFindings(bytes: Uint8Array, out: ModelFinding[]): void {
  const t = fields(bytes);
  if (num(t, TENSOR.dataLocation) !== EXTERNAL) return;
  for (const entry of messages(t, TENSOR.externalData)) {
    const kv = fields(entry);
    const location = str(kv, 2);
    if (str(kv, 1) === 'location' && location !== undefined && (escapes(location) || location.startsWith('~'))) {
      out.push(finding('ONNX_EXTERNAL_DATA_ESCAPE', { tensor: JSON.stringify(str(t, TENSOR.name) ?? ''), location: JSON.stringify(location) }));
    }
  }
}

function nodeFindings(bytes: Uint8Array, out: ModelFinding[]): void {
  const n = fields(bytes);
  const domain = str(n, NODE.domain) ?? '';
  if (!BUILTIN_ONNX_DOMAINS.has(domain)) out.push(finding('ONNX_CUSTOM_DOMAIN', { op: JSON.stringify(str(n, NODE.opType) ?? ''), domain: JSON.stringify(domain) }));
  for (const attribute of messages(n, NODE.attribute)) {
    const a = fields(attribute);
    for (const g of [...messages(a, ATTRIBUTE.g), ...messages(a, ATTRIBUTE.graphs)]) graphFindings(g, out);
    for (const t of [...messages(a, ATTRIBUTE.t), ...messages(a, ATTRIBUTE.tensors)]) tensorFindings(t, out);
  }
}

function graphFindings(bytes: Uint8Array, out: ModelFinding[]): void {
  const g = fields(bytes);
  for (const node of messages(g, GRAPH.node)) nodeFindings(node, out);
  for (const t of messages(g, GRAPH.initializer)) tensorFindings(t, out);
  for (const sparse of messages(g, GRAPH.sparseInitializer)) for (const t of messages(fields(sparse), 1)) tensorFindings(t, out);
}

/** ONNX ModelProto: custom operator domains and external data paths, in the graph, subgraphs and functions. */
export function scanOnnx(bytes: Uint8Array): ModelFinding[] {
  const out: ModelFinding[] = [];
  try {
    const model = fields(bytes);
    const graphs = messages(model, MODEL.graph);
    if (graphs.length === 0) return [finding('ONNX_MALFORMED', { detail: 'ModelProto has no graph' })];
    for (const g of graphs) graphFindings(g, out);
    for (const f of messages(model, MODEL.functions)) for (const node of messages(fields(f), FUNCTION.node)) nodeFindings(node, out);
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    return [...out, finding('ONNX_MALFORMED', { detail: error.message })];
  }
  return out;
}

import { Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import type { LoadResult } from '../../core/load.js';
import type { Finding, Report } from '../../core/types.js';
import type { Intent, NetpolModel } from '../../netpol/index.js';
import { loadFilesOrCluster, type ClusterFlags } from '../cluster.js';
import { checkInputPaths, emit, errorFindings, nothingToCheck, sourceLines, type ExtraFormats, type OutputOptions } from '../common.js';

/** matrix formats of np-guard, on top of the shared reporters (json is the shared one; `text` is an alias of txt). */
export const MATRIX_FORMATS = ['txt', 'json', 'csv', 'md', 'dot', 'sarif', 'junit', 'github'] as const;
/** Formats that print connections only, no findings. */
const MATRIX_ONLY_FORMATS = new Set(['txt', 'csv', 'md', 'dot']);

export interface NetpolOptions extends OutputOptions, ClusterFlags {
  compat?: string;
}

export const compatOption = (): Option => new Option('--compat <tool>', "reproduce another analyzer's modelling: np-guard (ipBlocks never match pods, built-in workload kinds only, IPv4 only)").choices(['np-guard']);

export interface Analysis {
  loaded: LoadResult;
  model: NetpolModel;
  findings: Finding[];
  intents?: Intent[];
  /** Why there is nothing to analyse (exit 2), when the inputs hold no Kubernetes object. */
  nothing?: string;
}

/** Load, build the model (and read the intents among the inputs). Invalid policies and intents become findings. */
export async function analyse(paths: string[], options: Pick<NetpolOptions, 'compat'> & ClusterFlags, what?: string): Promise<Analysis> {
  // With --cluster the live objects stand in for the default "."; other paths (intents, policies to try) are read too.
  checkInputPaths(options.cluster ? paths.filter((p) => p !== '.') : paths, what);
  const { loaded } = await loadFilesOrCluster(paths, options);
  const { buildModel, isIntentsResource } = await import('../../netpol/reach/index.js');
  // The intents file named first may also lie in a directory given after it: read each intent once.
  const seen = new Set<string>();
  const intentResources = loaded.resources.filter((r) => {
    if (!isIntentsResource(r)) return false;
    const key = `${r.source.path.replace(/^\.\//, '')}\u0000${r.indexInFile}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
  const model = buildModel(loaded.resources, options.compat === 'np-guard' ? 'np-guard' : 'cluster');
  // The intents parser (and zod) only loads when the inputs hold intents.
  const parseIntents = intentResources.length > 0 ? (await import('../../netpol/index.js')).parseIntents : undefined;
  const parsed = parseIntents ? intentResources.map(parseIntents) : [];
  const intentErrors = parsed.flatMap((p) => p.errors);
  model.errors.push(...intentErrors);
  const findings = errorFindings([...loaded.errors, ...model.errors, ...model.warnings]);
  const unreadable = loaded.errors.filter((e) => e.code === 'LOAD_NOT_FOUND' || e.code === 'LOAD_READ_FAILED').length;
  const emptyStdin = paths.length === 1 && paths[0] === '-' && loaded.files === 1 && loaded.skipped === 0 && loaded.errors.length === 0;
  const nothing = loaded.resources.length === 0 ? nothingToCheck(paths, { files: loaded.files, unreadable, emptyStdin }, 'Kubernetes object (a document with apiVersion and kind)') : undefined;
  return { loaded, model, findings, ...(intentResources.length > 0 ? { intents: parsed.flatMap((p) => p.intents) } : {}), ...(nothing ? { nothing } : {}) };
}

/**
 * A command that reads Kubernetes NetworkPolicies only (`--compat np-guard`) says so
 * for each Calico, Cilium or Istio object of the input, at its location, rather than leaving it out
 * silently: the answer holds without those layers.
 */
export async function warnMeshIgnored(analysis: Pick<Analysis, 'loaded' | 'model' | 'findings'>, why: string): Promise<void> {
  const { isMeshResource } = await import('../../netpol/reach/index.js');
  const warnings = analysis.loaded.resources.filter(isMeshResource).map((r) => {
    const { ref } = r;
    const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
    return new PalisadeError('NETPOL_MESH_IGNORED', `${ref.kind} ${name} is not analysed: ${why}`, { errorClass: 'warning', location: r.locate('') });
  });
  analysis.model.warnings.push(...warnings);
  analysis.findings.push(...errorFindings(warnings));
}

type MeshLayers = typeof import('../../netpol/layers/index.js');

/**
 * The layered (Calico, Cilium, Istio) model of the inputs, for matrix, explain and verify: files
 * whose top-level sequences only the mesh reader takes are re-read (their load errors withdrawn),
 * and the mesh model's errors and warnings join the analysis's. `intents` (verify): the model keeps
 * the HTTP paths they name apart.
 */
export async function meshAnalysis(analysis: Pick<Analysis, 'loaded' | 'model' | 'findings'>, intents?: readonly Intent[], options: { matrixOnly?: boolean } = {}): Promise<{ layers: MeshLayers; mesh: ReturnType<MeshLayers['buildMeshModel']> }> {
  const layers = await meshInputs(analysis);
  // `matrix` reads the model through meshMatrix only, which may split the L7 classes per destination.
  const mesh = layers.buildMeshModel(analysis.loaded.resources, intents ? { paths: layers.intentPaths(intents) } : {}, { shardL7: options.matrixOnly === true });
  absorbMeshProblems(analysis, mesh);
  return { layers, mesh };
}

/**
 * `netpol diff`: both revisions' layered models, over the union of their path and host patterns,
 * headers and address bounds (their connection sets compare), each revision's problems joining its
 * own analysis.
 */
export async function meshAnalysisPair(before: Pick<Analysis, 'loaded' | 'model' | 'findings'>, after: Pick<Analysis, 'loaded' | 'model' | 'findings'>): Promise<{ layers: MeshLayers; before: ReturnType<MeshLayers['buildMeshModel']>; after: ReturnType<MeshLayers['buildMeshModel']> }> {
  const layers = await meshInputs(before);
  await meshInputs(after);
  const pair = layers.buildMeshModelPair(before.loaded.resources, after.loaded.resources);
  absorbMeshProblems(before, pair.before);
  absorbMeshProblems(after, pair.after);
  return { layers, ...pair };
}

/** Files whose top-level sequences only the mesh reader takes are re-read (their load errors withdrawn). */
async function meshInputs(analysis: Pick<Analysis, 'loaded' | 'findings'>): Promise<MeshLayers> {
  const { loaded, findings } = analysis;
  const layers = await import('../../netpol/layers/index.js');
  const { readFile } = await import('node:fs/promises');
  const handled = await layers.expandTopLevelSequences(loaded, (file) => readFile(file, 'utf8'));
  for (let i = findings.length - 1; i >= 0; i--) if (handled.some((e) => e.code === findings[i]!.checkId && e.location?.file === findings[i]!.location?.file)) findings.splice(i, 1);
  return layers;
}

function absorbMeshProblems(analysis: Pick<Analysis, 'model' | 'findings'>, mesh: { errors: readonly PalisadeError[]; warnings: readonly PalisadeError[] }): void {
  const { model, findings } = analysis;
  // The mesh model parses the Kubernetes NetworkPolicies again (Calico reads them at order 1000): what
  // the NetworkPolicy model said about them already is said once. (That model's engine is never built here.)
  const said = new Set([...model.errors, ...model.warnings].map(problemKey));
  const fresh = (e: PalisadeError): boolean => !said.has(problemKey(e));
  const errors = mesh.errors.filter(fresh);
  const warnings = mesh.warnings.filter(fresh);
  model.errors.push(...errors);
  model.warnings.push(...warnings);
  findings.push(...errorFindings([...errors, ...warnings]));
}

/** One problem at one place: code, message and file:line:column. */
function problemKey(e: PalisadeError): string {
  return `${e.code}\u0000${e.format()}`;
}

/** netpol exits 2 on any invalid policy: a reachability answer computed without it would be false. */
export async function finish(report: Report, options: NetpolOptions, analysis: Pick<Analysis, 'loaded' | 'nothing'> & { model: Pick<Analysis['model'], 'errors' | 'warnings'> }, formats: ExtraFormats): Promise<number> {
  const { loaded, model } = analysis;
  const code = await emit(report, options, { loadErrors: loaded.errors, nothingRead: analysis.nothing ?? false, sourceLine: sourceLines(loaded), extraFormats: formats });
  // The matrix formats carry no findings, so input errors also go to stderr, and so do warnings
  // (a selector read without a field it had, a CNI caveat) when stdout has no room for them.
  for (const e of [...loaded.errors, ...model.errors]) process.stderr.write(`palisade: ${e.format()}\n`);
  if (MATRIX_ONLY_FORMATS.has(options.format) && !options.quiet) for (const line of warningLines(model.warnings)) process.stderr.write(`palisade: warning: ${line}\n`);
  return model.errors.length > 0 ? 2 : code;
}

/** How many warnings of one kind stderr shows before it counts the rest. */
export const REPEATED_WARNINGS_SHOWN = 3;

/**
 * Warnings for stderr: the same caveat on 40 policies is said three times, then counted, with the
 * way to see every location (the JSON report keeps each one). Order of first appearance is kept.
 */
export function warningLines(warnings: readonly PalisadeError[], shown = REPEATED_WARNINGS_SHOWN): string[] {
  const byKind = new Map<string, PalisadeError[]>();
  for (const w of warnings) {
    const key = `${w.code}\u0000${w.message}`;
    const same = byKind.get(key);
    if (same) same.push(w);
    else byKind.set(key, [w]);
  }
  const lines: string[] = [];
  for (const same of byKind.values()) {
    lines.push(...same.slice(0, shown).map((w) => w.format()));
    const rest = same.length - shown;
    if (rest > 0) lines.push(`${rest} more ${rest === 1 ? 'place' : 'places'} with the same warning (${same[0]!.code}); --format json lists every one`);
  }
  return lines;
}

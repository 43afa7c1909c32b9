import { Option, type Command } from 'commander';
import type { LoadResult } from '../../core/load.js';
import type { Finding } from '../../core/types.js';
import type { DiffRow } from '../../netpol/index.js';
import { addOutputOptions, checkInputPaths, makeReport, type ExtraFormats } from '../common.js';
import { analyse, compatOption, finish, meshAnalysisPair, warnMeshIgnored, type Analysis, type NetpolOptions } from './shared.js';

/** np-guard's diff formats (dot has no diff layout here), on top of the shared reporters. */
const DIFF_FORMATS = ['txt', 'json', 'csv', 'md', 'sarif', 'junit', 'github'] as const;

type DiffOptions = NetpolOptions & { resolution?: 'pod' | 'deployment' };

/** `palisade netpol diff`: connections added, removed and changed between two revisions. */
export function registerDiff(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('diff')
    .description('connections added, removed and changed between two revisions; exit 1 when a change opens a connection to a model server')
    .argument('<before>', 'the old revision: a manifest file or directory')
    .argument('<after>', 'the new revision: a manifest file or directory')
    .addOption(compatOption())
    .addOption(new Option('--resolution <level>', 'endpoints of the layered (Calico/Istio/Cilium) diff: single pods, or workloads named ns/owner (the layered engine is chosen automatically when either revision holds Calico, Istio or Cilium objects)').choices(['pod', 'deployment']));
  addOutputOptions(command, DIFF_FORMATS, 'txt').action(async (before: string, after: string, options: DiffOptions) => {
    // A missing side is an error, never an empty revision: every connection would read as added.
    checkInputPaths([before], 'the before revision');
    checkInputPaths([after], 'the after revision');
    const old = await analyse([before], options, 'the before revision');
    const now = await analyse([after], options, 'the after revision');
    const plain = await import('../../netpol/reach/index.js');
    const layered = options.compat === undefined && (options.resolution !== undefined || [old, now].some((a) => a.loaded.resources.some(plain.isMeshResource)));
    const valid = (): boolean => old.model.errors.length === 0 && now.model.errors.length === 0 && !old.nothing && !now.nothing;
    let diff: { rows: DiffRow[]; json: unknown[]; findings: Finding[] };
    if (layered) diff = await layeredDiff(old, now, options.resolution ?? 'pod', valid);
    else {
      if (options.compat === 'np-guard') {
        const why = '--compat np-guard reads Kubernetes NetworkPolicies only, as np-guard does';
        await warnMeshIgnored(old, why);
        await warnMeshIgnored(now, why);
      }
      const { computeMatrix, computeCompactMatrix, diffMatrices, diffCompactMatrices, opensModelServer, modelServerFinding } = await import('../../netpol/index.js');
      // np-guard's diff compares address slices; otherwise address sets stay whole, as in `netpol matrix`.
      const npGuard = options.compat === 'np-guard';
      const matrix = npGuard ? computeMatrix : computeCompactMatrix;
      const entries = !valid() ? [] : (npGuard ? diffMatrices : diffCompactMatrices)(matrix(old.model, old.loaded.resources), matrix(now.model, now.loaded.resources));
      const rows = entries.map(({ src, dst, kind, before: b, after: a }) => ({ src, dst, kind, before: b, after: a }));
      diff = { rows, json: rows, findings: entries.filter(opensModelServer).map(modelServerFinding) };
    }
    const { formatDiffTxt, formatDiffCsv, formatDiffMd } = await import('../../netpol/index.js');
    const report = makeReport([before, after], [...old.findings, ...now.findings, ...diff.findings], { diff: diff.json });
    const loaded: LoadResult = { ...now.loaded, resources: [...old.loaded.resources, ...now.loaded.resources], errors: [...old.loaded.errors, ...now.loaded.errors] };
    // Both revisions' errors and warnings reach stderr (the text formats carry no findings); a warning both say at one place, once.
    const errors = [...old.model.errors, ...now.model.errors];
    const seen = new Set<string>();
    const warnings = [...old.model.warnings, ...now.model.warnings].filter((w) => !seen.has(w.format()) && seen.add(w.format()) !== undefined);
    const nothing = old.nothing ? `before revision: ${old.nothing}` : now.nothing ? `after revision: ${now.nothing}` : undefined;
    const formats: ExtraFormats = { txt: () => formatDiffTxt(diff.rows), csv: () => formatDiffCsv(diff.rows, layered), md: () => formatDiffMd(diff.rows, layered) };
    setExit(await finish(report, options, { loaded, model: { errors, warnings }, ...(nothing ? { nothing } : {}) }, formats));
  });
}

/**
 * Every layer: both revisions' layered models over one universe, compared pair by pair. JSON entries
 * keep np-guard's fields (before and after as text) and add `added` and `removed`, the connections
 * gained and lost in CONVENTIONS.md's shape (methods, paths and hosts included).
 */
async function layeredDiff(old: Analysis, now: Analysis, resolution: 'pod' | 'deployment', valid: () => boolean): Promise<{ rows: DiffRow[]; json: unknown[]; findings: Finding[] }> {
  const { layers, before, after } = await meshAnalysisPair(old, now);
  if (!valid()) return { rows: [], json: [], findings: [] };
  const { openedModelServerFinding } = await import('../../netpol/index.js');
  const entries = layers.meshDiff(before, after, resolution);
  const text = layers.meshConnsText;
  const rows: DiffRow[] = entries.map((e) => ({ src: e.src, dst: e.dst, kind: e.kind, before: text(e.before), after: text(e.after), ...(e.added ? { added: text(e.added) } : {}), ...(e.removed ? { removed: text(e.removed) } : {}) }));
  const json = entries.map((e, i) => ({ ...rows[i]!, ...(e.added ? { added: e.added } : {}), ...(e.removed ? { removed: e.removed } : {}) }));
  // Model servers by workload, as the NetworkPolicy engine found them in the new revision's pods.
  const servers = new Map(now.model.pods.filter((p) => (p.modelServers?.length ?? 0) > 0).map((p) => [`${p.namespace}/${p.name}`, p.modelServers!]));
  const workloadOf = new Map(after.topology.endpoints.map((ep) => [resolution === 'deployment' ? ep.workload : ep.name, ep.workload]));
  const findings = entries.flatMap((e, i) => {
    const workload = workloadOf.get(e.dst);
    const serving = workload === undefined ? undefined : servers.get(workload);
    return e.added && serving ? [openedModelServerFinding({ ...rows[i]!, servers: serving, opened: rows[i]!.added! })] : [];
  });
  return { rows, json, findings };
}

import type { Command } from 'commander';
import type { LoadResult } from '../../core/load.js';
import { addOutputOptions, checkInputPaths, makeReport } from '../common.js';
import { analyse, compatOption, finish, MATRIX_FORMATS, warnMeshIgnored, type NetpolOptions } from './shared.js';

/** `palisade netpol diff`: connections added, removed and changed between two revisions. */
export function registerDiff(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('diff')
    .description('connections added, removed and changed between two revisions; exit 1 when a change opens a connection to a model server')
    .argument('<before>', 'the old revision: a manifest file or directory')
    .argument('<after>', 'the new revision: a manifest file or directory')
    .addOption(compatOption());
  addOutputOptions(command, MATRIX_FORMATS, 'txt').action(async (before: string, after: string, options: NetpolOptions) => {
    // A missing side is an error, never an empty revision: every connection would read as added.
    checkInputPaths([before], 'the before revision');
    checkInputPaths([after], 'the after revision');
    const { computeMatrix, computeCompactMatrix, diffMatrices, diffCompactMatrices, opensModelServer, formatDiffTxt, modelServerFinding } = await import('../../netpol/index.js');
    const old = await analyse([before], options, 'the before revision');
    const now = await analyse([after], options, 'the after revision');
    const why = 'netpol diff compares the Kubernetes NetworkPolicy layer only';
    await warnMeshIgnored(old, why);
    await warnMeshIgnored(now, why);
    const valid = old.model.errors.length === 0 && now.model.errors.length === 0 && !old.nothing && !now.nothing;
    // np-guard's diff compares address slices; otherwise address sets stay whole, as in `netpol matrix`.
    const npGuard = options.compat === 'np-guard';
    const matrix = npGuard ? computeMatrix : computeCompactMatrix;
    const entries = !valid ? [] : (npGuard ? diffMatrices : diffCompactMatrices)(matrix(old.model, old.loaded.resources), matrix(now.model, now.loaded.resources));
    const findings = [...old.findings, ...now.findings, ...entries.filter(opensModelServer).map(modelServerFinding)];
    const report = makeReport([before, after], findings, { diff: entries.map(({ src, dst, kind, before: b, after: a }) => ({ src, dst, kind, before: b, after: a })) });
    const loaded: LoadResult = { ...now.loaded, resources: [...old.loaded.resources, ...now.loaded.resources], errors: [...old.loaded.errors, ...now.loaded.errors] };
    const model = old.model.errors.length > 0 ? old.model : now.model;
    const nothing = old.nothing ? `before revision: ${old.nothing}` : now.nothing ? `after revision: ${now.nothing}` : undefined;
    setExit(await finish(report, options, { loaded, model, ...(nothing ? { nothing } : {}) }, { txt: (r) => formatDiffTxt(r.diff as Parameters<typeof formatDiffTxt>[0]) }));
  });
}


import type { Command } from 'commander';
import type { Connection } from '../../netpol/index.js';
import type { Reporter } from '../../report/types.js';
import { addOutputOptions, makeReport, type ExtraFormats } from '../common.js';
import { addClusterOptions } from '../cluster.js';
import { analyse, compatOption, finish, MATRIX_FORMATS, type NetpolOptions } from './shared.js';

/** `palisade netpol matrix`: every allowed connection, in np-guard's txt lines by default. */
export function registerMatrix(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('matrix')
    .description('every allowed connection, as np-guard netpol-analyzer lists them (src => dst : conns)')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .addOption(compatOption());
  // np-guard's txt lines are what people read here, so they are the default.
  addClusterOptions(command, { namespace: false });
  addOutputOptions(command, MATRIX_FORMATS, 'txt').action(async (paths: string[], options: NetpolOptions) => {
    const analysis = await analyse(paths, options);
    const { loaded, model, findings } = analysis;
    const { computeMatrix, toConnections, formatTxt, formatCsv, formatMd, formatDot } = await import('../../netpol/index.js');
    const connections = model.errors.length === 0 ? toConnections(computeMatrix(model, loaded.resources)) : [];
    const report = makeReport(paths, findings, { connections });
    const view = (f: (c: Connection[]) => string): Reporter => (r) => f(r.connections as Connection[]);
    const formats: ExtraFormats = { txt: view(formatTxt), csv: view(formatCsv), md: view(formatMd), dot: view(formatDot) };
    setExit(await finish(report, options, analysis, formats));
  });
}

import { Option, type Command } from 'commander';
import type { Connection } from '../../netpol/index.js';
import type { Reporter } from '../../report/index.js';
import { addOutputOptions, makeReport, type ExtraFormats } from '../common.js';
import { addClusterOptions } from '../cluster.js';
import { analyse, compatOption, finish, MATRIX_FORMATS, meshAnalysis, warnMeshIgnored, type NetpolOptions } from './shared.js';

/** `palisade netpol matrix`: every allowed connection, in np-guard's txt lines by default. */
export function registerMatrix(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('matrix')
    .description('every allowed connection, as np-guard netpol-analyzer lists them (src => dst : conns)')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .addOption(compatOption())
    .addOption(new Option('--resolution <level>', 'endpoints of the layered (Calico/Istio/Cilium) output: single pods, or workloads named ns/owner (the CONVENTIONS.md shape; chosen automatically when the input holds Calico, Istio or Cilium objects)').choices(['pod', 'deployment']));
  // np-guard's txt lines are what people read here, so they are the default.
  addClusterOptions(command, { namespace: false });
  addOutputOptions(command, MATRIX_FORMATS, 'txt').action(async (paths: string[], options: NetpolOptions & { resolution?: 'pod' | 'deployment' }) => {
    const analysis = await analyse(paths, options);
    const { loaded, model, findings } = analysis;
    const plain = await import('../../netpol/reach/index.js');
    if (options.compat === undefined && (options.resolution !== undefined || loaded.resources.some(plain.isMeshResource))) {
      // The layered engine: every layer, CONVENTIONS.md's output shape.
      const { layers, mesh } = await meshAnalysis(analysis, undefined, { matrixOnly: true });
      const connections = model.errors.length === 0 ? layers.meshMatrix(mesh, options.resolution ?? 'pod') : [];
      const report = makeReport(paths, findings, { connections });
      const text = (): string => connections.map((c) => `${c.src} => ${c.dst} : ${layers.connsText(c.conns)}\n`).join('');
      // csv, md and dot: np-guard's layouts with the layered connections' text (methods and paths
      // included). An `ip:` end is an address side (a box in dot), whatever slashes its CIDRs hold.
      const rows = (): Connection[] =>
        connections.map((c) => ({ src: c.src, dst: c.dst, conns: layers.connsText(c.conns), ...(c.src.startsWith('ip:') ? { srcAddresses: [] } : {}), ...(c.dst.startsWith('ip:') ? { dstAddresses: [] } : {}) }));
      setExit(await finish(report, options, analysis, { txt: text, csv: () => plain.formatCsv(rows()), md: () => plain.formatMd(rows()), dot: () => plain.formatDot(rows()) }));
      return;
    }
    if (options.compat === 'np-guard') await warnMeshIgnored(analysis, '--compat np-guard reads Kubernetes NetworkPolicies only, as np-guard does');
    const { computeMatrix, computeCompactMatrix, toConnections, formatTxt, formatCsv, formatMd, formatDot } = plain;
    // np-guard prints one line per address slice; palisade's own mode keeps address sets whole (CIDRs with excepts).
    const matrix = options.compat === 'np-guard' ? computeMatrix : computeCompactMatrix;
    const connections = model.errors.length === 0 ? toConnections(matrix(model, loaded.resources)) : [];
    const report = makeReport(paths, findings, { connections });
    const view = (f: (c: Connection[]) => string): Reporter => (r) => f(r.connections as Connection[]);
    const formats: ExtraFormats = { txt: view(formatTxt), csv: view(formatCsv), md: view(formatMd), dot: view(formatDot) };
    setExit(await finish(report, options, analysis, formats));
  });
}


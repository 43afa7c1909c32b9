import type { Command } from 'commander';
import { addOutputOptions, checkInputPaths, emit, errorFindings, makeReport, nothingToCheck, type OutputOptions } from './common.js';

interface ScanReportOptions extends OutputOptions {
  db?: string;
  vex?: string[];
  ignoreFile?: string;
  ignoreUnfixed?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `palisade scan report <files…>`: the vulnerability gate over Trivy, Grype and CycloneDX reports. */
export function registerScanReport(scan: Command, setExit: (code: number) => void): void {
  const command = scan
    .command('report')
    .description('gate on existing scan reports (Trivy JSON, Grype JSON, CycloneDX) and SBOMs (CycloneDX, SPDX, with --db), with OpenVEX/CycloneDX VEX and an allow-list')
    .argument('<files...>', 'scan reports')
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document whose not_affected/fixed statements suppress findings (repeatable)', collect)
    .option('--ignore-file <file>', 'allow-list: YAML {ignore: [{id, package?, reason, expires?}]}')
    .option('--ignore-unfixed', 'leave out vulnerabilities that have no fixed version')
    .option('--db <dir>', 'also match the packages of SBOMs (CycloneDX, SPDX) against this offline OSV database');
  addOutputOptions(command).action(async (files: string[], opts: ScanReportOptions) => {
    checkInputPaths(files);
    const { readFile } = await import('node:fs/promises');
    const { PalisadeError } = await import('../core/errors.js');
    const { gateFindings, readAllowList, readScanReport, readVex, rematch } = await import('../scan/image/reports/index.js');
    const { loadOsvDatabase } = await import('../scan/image/vuln/index.js');
    const loaded = opts.db === undefined ? undefined : await loadOsvDatabase(opts.db);
    const fatal = loaded?.errors.find((e) => e.errorClass === 'fatal');
    if (fatal) throw fatal;
    const errors: InstanceType<typeof PalisadeError>[] = [];
    const read = async (file: string): Promise<string | undefined> => {
      try {
        return await readFile(file, 'utf8');
      } catch (cause) {
        errors.push(new PalisadeError('LOAD_NOT_FOUND', `cannot read ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause }));
        return undefined;
      }
    };
    const reports = [];
    for (const file of files) {
      const text = await read(file);
      if (text === undefined) continue;
      const { report, error } = readScanReport(file, text);
      if (error) errors.push(error);
      if (report) reports.push(loaded ? rematch(report, loaded.database) : report);
    }
    const vex = [];
    for (const file of opts.vex ?? []) {
      const text = await read(file);
      if (text === undefined) throw errors[errors.length - 1] as Error;
      const { statements, error } = readVex(file, text);
      if (error) throw error;
      vex.push(...statements);
    }
    let allow: ReturnType<typeof readAllowList>['entries'] = [];
    if (opts.ignoreFile) {
      const text = await read(opts.ignoreFile);
      if (text === undefined) throw errors[errors.length - 1] as Error;
      const list = readAllowList(opts.ignoreFile, text);
      if (list.errors[0]) throw list.errors[0];
      allow = list.entries;
    }
    const findings = [...errorFindings([...errors, ...(loaded?.errors ?? [])]), ...gateFindings(reports, { vex, allow, ignoreUnfixed: opts.ignoreUnfixed === true, now: new Date() })];
    const report = makeReport(files, findings, {
      reports: reports.map((r) => ({ file: r.file, format: r.format, artifact: r.artifact ?? null, createdAt: r.createdAt ?? null, packages: r.packages?.length ?? 0, vulnerabilities: r.vulnerabilities.length })),
      vulnerabilities: reports.flatMap((r) => r.vulnerabilities),
    });
    const nothingRead = reports.length === 0 ? nothingToCheck(files, { files: files.length - errors.length, unreadable: errors.length }, 'scan report palisade reads (Trivy JSON, Grype JSON, CycloneDX, SPDX)') : false;
    setExit(await emit(report, opts, { loadErrors: errors, nothingRead }));
  });
}

import type { Command } from 'commander';
import { addOutputOptions, checkInputPaths, emit, errorFindings, makeReport, nothingToCheck, type OutputOptions } from './common.js';

/** `palisade scan dockerfile <paths…>`: hardening rules with exact file:line:column. */
export function registerScanDockerfile(scan: Command, setExit: (code: number) => void): void {
  const command = scan
    .command('dockerfile')
    .description('check Dockerfiles: root user, unpinned bases, secrets in ENV/ARG, curl | sh, admin ports, baked-in models…')
    .argument('<paths...>', 'Dockerfiles, or directories to search for Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile')
    .option('--target <stage>', 'the stage that is the image, as docker build --target (default: the last stage)')
    .option('-c, --config <file>', 'config file (default: the nearest .palisade.yaml at or above the first input); its IMAGE_REGISTRY_NOT_ALLOWED allowedRegistries also judge FROM');
  addOutputOptions(command).action(async (paths: string[], opts: OutputOptions & { target?: string; config?: string }) => {
    checkInputPaths(paths);
    const { readDockerfiles, scanDockerfile } = await import('../scan/image/dockerfile/index.js');
    const read = await readDockerfiles(paths);
    const { loadConfig } = await import('../core/config.js');
    const { dockerfileScanOptions } = await import('../audit/index.js');
    const config = await loadConfig(opts.config, paths, process.cwd());
    const options = { ...dockerfileScanOptions(config), ...(opts.target === undefined ? {} : { target: opts.target }) };
    const scans = read.files.map((file) => scanDockerfile(file.path, file.text, undefined, options));
    const errors = [...read.errors, ...scans.flatMap((s) => s.errors)];
    const findings = [...errorFindings(errors), ...scans.flatMap((s) => s.findings)];
    const texts = new Map(read.files.map((file) => [file.path, file.text.split(/\r?\n/)]));
    const report = makeReport(paths, findings, {
      dockerfiles: scans.map((s) => ({ file: s.dockerfile.file, stages: s.dockerfile.stages.map((stage) => ({ name: stage.name ?? null, image: stage.image, line: stage.from.line })) })),
    });
    setExit(
      await emit(report, opts, {
        loadErrors: errors,
        nothingRead: read.files.length === 0 ? nothingToCheck(paths, { files: 0, unreadable: read.errors.length }, 'Dockerfile (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)') : false,
        sourceLine: (file, line) => texts.get(file)?.[line - 1],
      }),
    );
  });
}

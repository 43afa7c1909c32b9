import { Option, type Command } from 'commander';
import { addOutputOptions, emit, errorFindings, makeReport, note, REPORT_FORMATS, type OutputOptions } from './common.js';

interface ScanImageOptions extends OutputOptions {
  db?: string;
  platform?: string;
  sbom?: 'cyclonedx' | 'spdx';
  ignoreUnfixed?: boolean;
  models?: boolean;
}

const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;

/** `palisade scan image <layout|archive>`: inventory, SBOM, offline OSV gate, image facts, model files. */
export function registerScanImage(scan: Command, setExit: (code: number) => void): void {
  const command = scan
    .command('image')
    .description('scan a container image (OCI layout, docker/podman save or OCI archive): packages, vulnerabilities, root user, secrets, admin ports, model files')
    .argument('<image>', 'an OCI layout directory, a docker save / podman save tarball, an OCI archive, or a registry reference (registry/repo:tag or @sha256:…)')
    .option('--db <dir>', 'offline OSV database: a directory of advisory JSON files or osv.dev zips (default: the local database of palisade db update, when there is one)')
    .option('--platform <os/arch[/variant]>', 'the platform to take from a multi-platform index (default linux/amd64)')
    .addOption(new Option('--sbom <format>', 'print an SBOM instead of the report (same as --format cyclonedx|spdx)').choices([...SBOM_FORMATS]))
    .option('--ignore-unfixed', 'leave out vulnerabilities that have no fixed version')
    .option('--no-models', 'do not scan model files found in the image');
  addOutputOptions(command, [...REPORT_FORMATS, ...SBOM_FORMATS]).action(async (input: string, opts: ScanImageOptions) => {
    const { scanImage, parsePlatform, loadModelScanner } = await import('../scan/image/index.js');
    const { loadOsvDatabase } = await import('../scan/image/vuln/index.js');
    const { sbomReporters } = await import('../scan/image/sbom/index.js');
    const { PalisadeError } = await import('../core/errors.js');
    const platform = opts.platform === undefined ? undefined : parsePlatform(opts.platform);
    if (opts.platform !== undefined && !platform) throw new PalisadeError('USAGE', `--platform expects os/arch[/variant], got "${opts.platform}"`, { errorClass: 'fatal' });
    const { chooseDb, NO_DB_NOTE } = await import('./db.js');
    const db = await chooseDb(opts.db);
    if (!db) note(opts, NO_DB_NOTE);
    const loaded = db === undefined ? undefined : await loadOsvDatabase(db.dir);
    if (loaded && loaded.errors.some((e) => e.errorClass === 'fatal')) {
      throw loaded.errors.find((e) => e.errorClass === 'fatal') as InstanceType<typeof PalisadeError>;
    }
    const { readFile } = await import('node:fs/promises');
    const { homedir } = await import('node:os');
    const { join } = await import('node:path');
    const { dockerConfigCredentials } = await import('../scan/image/index.js');
    // Registry credentials as docker login stores them ($DOCKER_CONFIG/config.json or ~/.docker/config.json).
    const dockerConfig = await readFile(join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), 'utf8').catch(() => '{}');
    const modelScanner = opts.models === false ? undefined : await loadModelScanner();
    const { withTempRoot } = await import('./tempRoot.js');
    const scan = await withTempRoot('palisade-', (tempDir) => scanImage(input, {
      tempDir,
      ...(platform ? { platform } : {}),
      ...(loaded ? { database: loaded.database } : {}),
      ...(modelScanner ? { modelScanner } : {}),
      ignoreUnfixed: opts.ignoreUnfixed === true,
      now: new Date(),
      remote: { credentials: dockerConfigCredentials(dockerConfig) },
    }));
    const findings = [...errorFindings([...(loaded?.errors ?? []), ...scan.errors]), ...scan.findings];
    const report = makeReport([input], findings, {
      image: scan.image,
      packages: scan.packages,
      vulnerabilities: scan.vulnerabilities,
      models: scan.models,
      database: loaded && db ? { path: db.dir, advisories: loaded.database.size, withdrawn: loaded.database.withdrawn } : null,
    });
    const format = opts.sbom ?? opts.format;
    // An SBOM is an inventory, not a verdict: it fails the run only when --fail-on is typed.
    const sbom = SBOM_FORMATS.includes(format as (typeof SBOM_FORMATS)[number]);
    const failOn = sbom && command.getOptionValueSource('failOn') !== 'cli' ? 'none' : opts.failOn;
    const nothingRead = scan.image.format === undefined ? `nothing to check: ${input} is not an image palisade can read (OCI layout, docker save or OCI archive, or a registry reference)` : false;
    setExit(await emit(report, { ...opts, format, failOn }, { loadErrors: scan.errors, nothingRead, extraFormats: sbomReporters }));
  });
}

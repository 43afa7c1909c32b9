import { Option, type Command } from 'commander';
import { addClusterOptions, type ClusterFlags } from './cluster.js';
import { parseLimit } from './scan-model.js';
import { addOutputOptions, emit, errorFindings, makeReport, note, REPORT_FORMATS, type OutputOptions } from './common.js';

interface ScanImageOptions extends OutputOptions, ClusterFlags {
  db?: string;
  platform?: string;
  sbom?: 'cyclonedx' | 'spdx';
  ignoreUnfixed?: boolean;
  models?: boolean;
  maxInflatedBytes?: number;
}

const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;

/** `palisade scan image <layout|archive>`: inventory, SBOM, offline OSV gate, image facts, model files. */
export function registerScanImage(scan: Command, setExit: (code: number) => void): void {
  const command = scan
    .command('image')
    .description('scan a container image (OCI layout, docker/podman save or OCI archive): packages, vulnerabilities, root user, secrets, admin ports, model files')
    .argument('[image]', 'an OCI layout directory, a docker save / podman save tarball, an OCI archive, or a registry reference (registry/repo:tag or @sha256:…); none with --cluster')
    .option('--db <dir>', 'offline OSV database: a directory of advisory JSON files or osv.dev zips (default: the local database of palisade db update, when there is one)')
    .option('--platform <os/arch[/variant]>', 'the platform to take from a multi-platform index (default linux/amd64)')
    .addOption(new Option('--sbom <format>', 'print an SBOM instead of the report (same as --format cyclonedx|spdx)').choices([...SBOM_FORMATS]))
    .option('--ignore-unfixed', 'leave out vulnerabilities that have no fixed version')
    .option('--no-models', 'do not scan model files found in the image')
    .option('--max-inflated-bytes <size>', 'bytes all layers may inflate to before the scan stops with IMAGE_SCAN_LIMIT (bytes, or with K/M/G; default 4G, or 4 times the layers\' stored size if more)', parseLimit('--max-inflated-bytes', true));
  addClusterOptions(command, { namespace: false });
  command.option('-n, --namespace <ns>', 'with --cluster: the images of one namespace\'s pods instead of all');
  addOutputOptions(command, [...REPORT_FORMATS, ...SBOM_FORMATS]).action(async (input: string | undefined, opts: ScanImageOptions) => {
    const { scanImage, parsePlatform, loadModelScanner } = await import('../scan/image/index.js');
    const { loadOsvDatabase } = await import('../scan/image/vuln/index.js');
    const { sbomReporters } = await import('../scan/image/sbom/index.js');
    const { PalisadeError } = await import('../core/errors.js');
    const usage = (message: string): never => {
      throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
    };
    if (opts.cluster && input !== undefined) usage('give either an image or --cluster, not both');
    if (!opts.cluster && input === undefined) usage('missing image: name an image, or scan the images a live cluster runs with --cluster');
    if (!opts.cluster) for (const flag of ['kubeconfig', 'context', 'namespace'] as const) if (opts[flag] !== undefined) usage(`--${flag === 'namespace' ? 'namespace' : flag} needs --cluster`);
    if (opts.cluster && (opts.sbom !== undefined || opts.format === 'cyclonedx' || opts.format === 'spdx')) usage('an SBOM describes one image: with --cluster, use --format json (every image with its packages)');
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
    const scanOne = (reference: string): ReturnType<typeof scanImage> =>
      withTempRoot('palisade-', (tempDir) => scanImage(reference, {
        tempDir,
        ...(platform ? { platform } : {}),
        ...(loaded ? { database: loaded.database } : {}),
        ...(modelScanner ? { modelScanner } : {}),
        ignoreUnfixed: opts.ignoreUnfixed === true,
        ...(opts.maxInflatedBytes !== undefined ? { limits: { maxInflatedBytes: opts.maxInflatedBytes } } : {}),
        now: new Date(),
        remote: { credentials: dockerConfigCredentials(dockerConfig) },
      }));
    const database = loaded && db ? { path: db.dir, advisories: loaded.database.size, withdrawn: loaded.database.withdrawn } : null;
    if (opts.cluster) {
      setExit(await scanCluster(opts, scanOne, database, [...(loaded?.errors ?? [])]));
      return;
    }
    const image = input!;
    const scan = await scanOne(image);
    const findings = [...errorFindings([...(loaded?.errors ?? []), ...scan.errors]), ...scan.findings];
    const report = makeReport([image], findings, {
      image: scan.image,
      packages: scan.packages,
      vulnerabilities: scan.vulnerabilities,
      models: scan.models,
      database,
    });
    const format = opts.sbom ?? opts.format;
    // An SBOM is an inventory, not a verdict: it fails the run only when --fail-on is typed.
    const sbom = SBOM_FORMATS.includes(format as (typeof SBOM_FORMATS)[number]);
    const failOn = sbom && command.getOptionValueSource('failOn') !== 'cli' ? 'none' : opts.failOn;
    const nothingRead = scan.image.format === undefined ? `nothing to check: ${image} is not an image palisade can read (OCI layout, docker save or OCI archive, or a registry reference)` : false;
    setExit(await emit(report, { ...opts, format, failOn }, { loadErrors: scan.errors, nothingRead, extraFormats: sbomReporters }));
  });
}

type ImageScanResult = Awaited<ReturnType<typeof import('../scan/image/index.js').scanImage>>;

/**
 * `scan image --cluster`: the images the cluster's Pods run, each scanned once (deduplicated by the
 * digest the kubelet reports), with the containers that run it. A finding's message names its image.
 */
async function scanCluster(opts: ScanImageOptions, scanOne: (reference: string) => Promise<ImageScanResult>, database: unknown, loadErrors: Array<InstanceType<typeof import('../core/errors.js').PalisadeError>>): Promise<number> {
  const { readClusterFromFlags, clusterSummary } = await import('./cluster.js');
  const { READ_KINDS, runningImages } = await import('../cluster/index.js');
  const source = await readClusterFromFlags(opts, { namespaced: true, read: { kinds: READ_KINDS.filter((k) => k.kind === 'Pod' && k.groups.includes('')), keepStatus: true } });
  const running = runningImages(source.read.objects);
  const errors = [...loadErrors, ...source.read.errors];
  const findings = [];
  const images = [];
  let read = 0;
  for (const entry of running) {
    const scan = await scanOne(entry.reference);
    if (scan.image.format !== undefined) read++;
    errors.push(...scan.errors);
    for (const finding of scan.findings) findings.push({ ...finding, message: `${entry.reference}: ${finding.message}` });
    images.push({ ...entry, image: scan.image, packages: scan.packages, vulnerabilities: scan.vulnerabilities, models: scan.models, errors: scan.errors.map((e) => e.message) });
  }
  const report = makeReport([source.read.server], [...errorFindings(errors), ...findings], { cluster: clusterSummary(source), images, database });
  const nothingRead = running.length > 0 && read === 0 ? `nothing to check: none of the ${running.length} image(s) the cluster runs could be read` : false;
  if (running.length === 0) note(opts, `no running pod images in ${opts.namespace !== undefined ? `namespace ${opts.namespace}` : 'the cluster'}`);
  return emit(report, opts, { loadErrors: errors, nothingRead });
}

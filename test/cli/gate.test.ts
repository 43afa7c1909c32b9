import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';
import { buildImage, writeOciLayout } from '../scan/image/imageBuilder.js';
import { DEBIAN_BASE } from '../scan/image/rootfs.js';

/**
 * Issue 13, "What was seen": one test per bullet, through the built binary, as a user types it.
 * Each asserts the behaviour the issue asks for (the old behaviour is named in the test).
 */

const tmp = (): string => mkdtempSync(join(tmpdir(), 'palisade-gate-'));

interface Report {
  results?: Array<{ allowed: boolean; level: string; version: string }>;
  findings: Array<{ checkId: string; severity: string; admission?: string; message: string; path?: string; container?: string; occurrences?: Array<{ path?: string; container?: string; location?: { line: number } }> }>;
  summary: { critical: number; high: number; medium: number; low: number; info: number; suppressed: number };
  baseline?: { known: number };
  breakdown?: { byCheck: Array<{ checkId: string; count: number }> };
}
const json = (stdout: string): Report => JSON.parse(stdout) as Report;

/** Violates only Restricted's medium controls: seccomp, capabilities.drop [ALL], volume types. */
const mediumOnlyPod = `apiVersion: v1
kind: Pod
metadata: {name: medium-only, namespace: ml}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000}
  containers:
  - name: app
    image: app:1
    securityContext: {allowPrivilegeEscalation: false}
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    nfs: {server: nfs.example, path: /models}
`;

const hostPathDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: model, namespace: ml}
spec:
  selector: {matchLabels: {app: model}}
  template:
    metadata: {labels: {app: model}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: server
        image: server:1
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        volumeMounts: [{name: proc, mountPath: /host/proc}, {name: store, mountPath: /models}]
      volumes:
      - {name: proc, hostPath: {path: /proc}}
      - {name: store, hostPath: {path: /mnt/models}}
`;

const namespace = (labels: Record<string, string>): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
${Object.entries(labels)
  .map(([k, v]) => `    pod-security.kubernetes.io/${k}: ${v}`)
  .join('\n')}
---
`;

const plainPod = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ml}
spec:
  containers:
  - {name: app, image: nginx:1.27}
`;

describe('the gate: a pod the level in force rejects fails the run', () => {
  it('fails a pod that violates only medium Restricted controls (was: "1 in violation", exit 0)', () => {
    const run = palisade(['pss', '-', '--format', 'json'], { input: mediumOnlyPod });
    const report = json(run.stdout);
    expect(report.results?.map((r) => r.allowed)).toEqual([false]);
    expect(report.findings.map((f) => [f.checkId, f.severity, f.admission]).sort()).toEqual([
      ['PSS_RESTRICTED_CAPABILITIES', 'medium', 'enforce'],
      ['PSS_RESTRICTED_SECCOMP_PROFILE', 'medium', 'enforce'],
      ['PSS_RESTRICTED_VOLUME_TYPES', 'medium', 'enforce'],
    ]);
    expect(run.status).toBe(1);
    // --fail-on critical still fails on a rejection; only none never fails.
    expect(palisade(['pss', '-', '--fail-on', 'critical'], { input: mediumOnlyPod }).status).toBe(1);
    expect(palisade(['pss', '-', '--fail-on', 'none'], { input: mediumOnlyPod }).status).toBe(0);
  });

  it('keeps HOST_PATH_VOLUME high at restricted (was: it gave way to the medium PSS_RESTRICTED_VOLUME_TYPES, exit 0)', () => {
    const restricted = palisade(['audit', '-', '--format', 'json', '--level', 'restricted'], { input: hostPathDeployment });
    const baseline = palisade(['audit', '-', '--format', 'json', '--level', 'baseline'], { input: hostPathDeployment });
    const hostPath = (r: Report): unknown =>
      r.findings
        .filter((f) => f.checkId.includes('HOST_PATH') || f.checkId === 'PSS_RESTRICTED_VOLUME_TYPES')
        .map((f) => [f.checkId, f.severity, f.occurrences?.length ?? 1])
        .sort();
    expect(hostPath(json(restricted.stdout))).toEqual([
      ['HOST_PATH_VOLUME', 'high', 2],
      ['PSS_RESTRICTED_VOLUME_TYPES', 'medium', 2],
    ]);
    // At baseline the PSS check is as severe as the posture check, which then gives way to it.
    expect(hostPath(json(baseline.stdout))).toEqual([['PSS_BASELINE_HOST_PATH_VOLUMES', 'high', 2]]);
    expect(restricted.status).toBe(1);
    expect(baseline.status).toBe(1);
    // Even with --fail-on critical the stricter level is not more lenient.
    expect(palisade(['audit', '-', '--level', 'restricted', '--fail-on', 'critical'], { input: hostPathDeployment }).status).toBe(1);
  });

  it('reports warn/audit-only namespaces as such and does not fail on them unless --fail-on names the mode (was: failed like enforce)', () => {
    const input = namespace({ warn: 'restricted', audit: 'baseline' }) + plainPod;
    const run = palisade(['pss', '-', '--format', 'json'], { input });
    const report = json(run.stdout);
    expect(report.findings.map((f) => [f.checkId, f.admission])).toEqual([
      ['PSS_RESTRICTED_ALLOW_PRIVILEGE_ESCALATION', 'warn'],
      ['PSS_RESTRICTED_CAPABILITIES', 'warn'],
      ['PSS_RESTRICTED_RUN_AS_NON_ROOT', 'warn'],
      ['PSS_RESTRICTED_SECCOMP_PROFILE', 'warn'],
    ]);
    expect(run.status).toBe(0);
    const text = palisade(['pss', '-'], { input });
    expect(text.stdout).toContain('namespace ml would get a warning: warn restricted:v1.37');
    expect(text.stdout).toContain('4 only warned about or audited by namespace labels');
    expect(palisade(['pss', '-', '--fail-on', 'high,warn'], { input }).status).toBe(1);
    expect(palisade(['pss', '-', '--fail-on', 'high,audit'], { input }).status).toBe(0); // audit is baseline: the pod passes it
    // The same pod under an enforce label fails.
    expect(palisade(['pss', '-'], { input: namespace({ enforce: 'restricted' }) + plainPod }).status).toBe(1);
    expect(palisade(['pss', '-', '--fail-on', 'high,bogus'], { input }).status).toBe(2);
  });
});

describe('one input contract for every command', () => {
  it('exits 2 with a message naming what was looked at when nothing is readable (was: exit 0, or 2 without a word)', () => {
    const empty = tmp();
    const cases: Array<[string[], string | undefined, string]> = [
      [['audit', empty], undefined, `nothing to check: ${empty} holds no Kubernetes object`],
      [['audit', empty, '--strict'], undefined, `nothing to check: ${empty} holds no Kubernetes object`],
      [['pss', empty], undefined, `nothing to check: ${empty} holds no Kubernetes object`],
      [['netpol', 'matrix', empty], undefined, `nothing to check: ${empty} holds no Kubernetes object`],
      [['scan', 'dockerfile', empty], undefined, `nothing to check: ${empty} holds no Dockerfile`],
      [['audit', '-'], '', 'nothing to check: stdin was empty'],
      [['audit', '-', '--strict'], '', 'nothing to check: stdin was empty'],
      [['harden', '-'], '', 'nothing to check: stdin was empty'],
      [['audit', '-'], '# helm template failed\n', 'nothing to check: the file read from stdin hold'],
    ];
    for (const [args, input, message] of cases) {
      const run = palisade(args, input === undefined ? {} : { input });
      expect([args.join(' '), run.status]).toEqual([args.join(' '), 2]);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
    }
  });

  it('treats missing paths as errors, never as empty input (was: netpol verify exit 1, netpol diff reported every connection as added)', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'pod.yaml'), plainPod);
    const verify = palisade(['netpol', 'verify', join(dir, 'missing.yaml'), dir]);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toBe(`palisade: no such file or directory: ${join(dir, 'missing.yaml')} (the NetworkIntents file)\n`);
    const diff = palisade(['netpol', 'diff', join(dir, 'missing'), dir]);
    expect(diff.status).toBe(2);
    expect(diff.stderr).toBe(`palisade: no such file or directory: ${join(dir, 'missing')} (the before revision)\n`);
    expect(diff.stdout).toBe('');
    expect(palisade(['netpol', 'diff', dir, join(dir, 'gone')]).stderr).toContain('(the after revision)');
    expect(palisade(['audit', dir, join(dir, 'typo.yaml')]).status).toBe(2);
  });

  it('reads a PSS version newer than the table as latest with a note, and refuses a malformed one (was: v1.99 accepted silently)', () => {
    const newer = palisade(['pss', '-', '--version', 'v1.99', '--format', 'json'], { input: plainPod });
    expect(json(newer.stdout).results?.map((r) => r.version)).toEqual(['v1.37']);
    expect(newer.stderr).toBe('palisade: note: --version v1.99 is newer than v1.37, the newest Pod Security Standards version this palisade knows; evaluating it as latest (v1.37), as the API server does\n');
    const malformed = palisade(['pss', '-', '--version', '1.30'], { input: plainPod });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('--version must be v1.N (N ≥ 0) or latest, got "1.30"');
  });

  it('refuses output paths in missing directories, directories, devices and under files, before any work, and leaves nothing behind (was: created the directories)', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'file'), 'x');
    const cases: Array<[string, string]> = [
      [join(dir, 'no/such/dir/x.sarif'), `directory ${join(dir, 'no/such/dir')} does not exist`],
      [dir, 'it is a directory'],
      [join(dir, 'file', 'x.sarif'), `${join(dir, 'file')} is not a directory`],
    ];
    for (const [target, why] of cases) {
      const run = palisade(['audit', '-', '-o', `sarif=${target}`], { input: plainPod });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`palisade: cannot write ${target}: ${why}${why === 'it is a directory' ? '; give a file name, e.g. -o sarif=palisade.sarif' : target.includes('no/such') ? ' (palisade does not create it)' : ''}\n`);
      expect(run.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'no'))).toBe(false);
    // A device is written in place (never renamed over): /dev/null takes the report, /dev/full is a full disk.
    expect(palisade(['audit', '-', '-o', 'sarif=/dev/null', '--fail-on', 'none', '-q'], { input: plainPod }).status).toBe(0);
    const full = palisade(['audit', '-', '-o', 'sarif=/dev/full', '--fail-on', 'none', '-q'], { input: plainPod });
    expect(full.status).toBe(2);
    expect(full.stderr).toBe('palisade: cannot write /dev/full: ENOSPC: no space left on device, write\n');
    // A good path is written whole, with no temporary file left next to it.
    const ok = palisade(['audit', '-', '-o', `json=${join(dir, 'out.json')}`, '--fail-on', 'none', '-q'], { input: plainPod });
    expect(ok.status).toBe(0);
    expect(json(readFileSync(join(dir, 'out.json'), 'utf8')).findings.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('x');
  });
});

describe('install story', () => {
  it('ships the command palisade under a package name the README installs (was: npx palisade ran an unrelated package)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(pkg.bin).toEqual({ palisade: 'dist/cli/main.js' });
    expect(pkg.name).not.toBe('palisade');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`npm install -g ${pkg.name}`);
    expect(readme).toContain('npm link');
    // Examples run the installed command, never `npx palisade`, which fetches whatever owns that name.
    expect(readme).not.toMatch(/^(\$ )?npx palisade/m);
  });
});

describe('one CLI', () => {
  it('takes text for txt, answers explain with the exit code, and gives generate --format and --output (was: refused, always 0, no flags)', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ml, labels: {app: a}}
spec: {containers: [{name: c, image: c:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ml, labels: {app: b}}
spec: {containers: [{name: c, image: c:1, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: ml}
spec: {selector: {app: b}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ml}
spec: {podSelector: {matchLabels: {app: b}}, policyTypes: [Ingress]}
`,
    );
    const text = palisade(['netpol', 'matrix', dir, '-f', 'text']);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(palisade(['netpol', 'matrix', dir, '-f', 'txt']).stdout);
    expect(text.stdout).toContain('ml/b[Pod] => ml/a[Pod] : All Connections');
    expect(palisade(['netpol', 'explain', dir, '--from', 'ml/b', '--to', 'ml/a']).status).toBe(0);
    const denied = palisade(['netpol', 'explain', dir, '--from', 'ml/a', '--to', 'ml/b', '--port', '80']);
    expect(denied.stdout).toContain('DENIED');
    expect(denied.status).toBe(1);
    const generated = palisade(['netpol', 'generate', dir, '--format', 'json', '-o', `yaml=${join(dir, 'out', 'p.yaml')}`]);
    expect(generated.status).toBe(2); // the out/ directory does not exist
    mkdirSync(join(dir, 'out'));
    const ok = palisade(['netpol', 'generate', dir, '--format', 'json', '-o', `yaml=${join(dir, 'out', 'p.yaml')}`]);
    expect(ok.status).toBe(0);
    const policies = (JSON.parse(ok.stdout) as { policies: Array<{ kind: string; metadata: { name: string } }> }).policies;
    expect(policies.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'out', 'p.yaml'), 'utf8')).toContain('kind: NetworkPolicy');
  });

  it('prints the same help for help CMD and CMD --help, and describes every group accurately (was: a stub)', () => {
    for (const command of [['audit'], ['scan'], ['scan', 'image'], ['netpol', 'matrix'], ['db', 'update']]) {
      const viaHelp = palisade(['help', ...command]);
      const viaFlag = palisade([...command, '--help']);
      expect(viaHelp.status).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.stdout).toContain('Options:');
    }
    const top = palisade(['--help']).stdout.replace(/\s+/g, ' ');
    expect(top).toContain('scan scan artifacts before they are served: model files, container images, Dockerfiles');
    expect(palisade(['scan', '--help']).stdout.replace(/\s+/g, ' ')).toContain('scan artifacts before they are served: model files, container images, Dockerfiles');
  });

  describe('vulnerability database', () => {
    let work = '';
    beforeAll(async () => {
      work = tmp();
      const built = await buildImage({ layers: [{ files: DEBIAN_BASE }], config: { User: '10001' } });
      await writeOciLayout(join(work, 'layout'), built, 'serve:1');
      const advisory = { id: 'DEBIAN-CVE-2024-1', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }] }] }] };
      mkdirSync(join(work, 'exports', 'Debian'), { recursive: true });
      writeFileSync(join(work, 'exports', 'Debian', 'all.zip'), zipSync({ 'DEBIAN-CVE-2024-1.json': strToU8(JSON.stringify(advisory)) }));
      writeFileSync(join(work, 'bad.zip'), 'not a zip');
    }, 60_000);

    it('says so when a scan runs without a database, builds one with db update --from, and --sbom does not fail by default (was: silent; exit 1)', () => {
      const env = { PALISADE_DB_DIR: join(work, 'db') };
      const none = palisade(['scan', 'image', join(work, 'layout'), '--format', 'json', '--no-models'], { env });
      expect(none.stderr).toContain('palisade: note: no vulnerability database: packages are listed but not matched against advisories');
      expect(none.stderr).toContain('https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip');
      expect((JSON.parse(none.stdout) as { vulnerabilities: unknown[] }).vulnerabilities).toEqual([]);

      const bad = palisade(['db', 'update', '--from', join(work, 'bad.zip')], { env });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('not a readable zip');
      expect(existsSync(join(work, 'db'))).toBe(false);

      const update = palisade(['db', 'update', '--from', join(work, 'exports')], { env });
      expect(update.status).toBe(0);
      expect(update.stdout).toBe(`${join(work, 'db', 'Debian.zip')}: 1 advisories\n`);

      const scanned = palisade(['scan', 'image', join(work, 'layout'), '--format', 'json', '--no-models'], { env });
      expect(scanned.stderr).toBe('');
      const report = JSON.parse(scanned.stdout) as { vulnerabilities: Array<{ id: string; severity: string }>; database: unknown };
      expect(report.vulnerabilities.map((v) => [v.id, v.severity])).toEqual([['DEBIAN-CVE-2024-1', 'critical']]);
      expect(report.database).toEqual({ path: join(work, 'db'), advisories: 1, withdrawn: 0 });
      expect(scanned.status).toBe(1);
      // An SBOM is an inventory: it fails only when --fail-on is typed.
      expect(palisade(['scan', 'image', join(work, 'layout'), '--sbom', 'cyclonedx', '--no-models'], { env }).status).toBe(0);
      expect(palisade(['scan', 'image', join(work, 'layout'), '--sbom', 'cyclonedx', '--no-models', '--fail-on', 'high'], { env }).status).toBe(1);
    });
  });
});

const driverDaemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: nvidia-driver-daemonset, namespace: gpu-operator}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      containers:
      - {name: a, image: "driver:1", securityContext: {privileged: true}}
      - {name: b, image: "driver:1", securityContext: {privileged: true}}
      - {name: c, image: "driver:1", securityContext: {privileged: true}}
      volumes:
      - {name: v0, hostPath: {path: /run/nvidia}}
      - {name: v1, hostPath: {path: /var/log}}
      - {name: v2, hostPath: {path: /dev}}
`;

describe('less noise, same truth', () => {
  it('groups a check repeated on one object into one finding that lists every occurrence, and SARIF keeps every location (was: one line per container or volume)', () => {
    const dir = tmp();
    const file = join(dir, 'ds.yaml');
    writeFileSync(file, driverDaemonSet);
    const run = palisade(['audit', file, '--format', 'json', '-o', `sarif=${join(dir, 'out.sarif')}`]);
    const report = json(run.stdout);
    const volumeTypes = report.findings.filter((f) => f.checkId === 'PSS_RESTRICTED_VOLUME_TYPES');
    expect(volumeTypes).toHaveLength(1);
    expect(volumeTypes[0]!.occurrences?.map((o) => [o.path, o.location?.line])).toEqual([
      ['/spec/template/spec/volumes/0/hostPath', 14],
      ['/spec/template/spec/volumes/1/hostPath', 15],
      ['/spec/template/spec/volumes/2/hostPath', 16],
    ]);
    const limits = report.findings.find((f) => f.checkId === 'RESOURCE_LIMITS_MISSING')!;
    expect(limits.message).toBe('container "a" has no cpu and memory limit (also containers "b", "c")');
    expect(limits.container).toBeUndefined();
    expect(limits.occurrences?.map((o) => o.container)).toEqual(['a', 'b', 'c']);
    // One finding per check on this object: no check id repeats.
    const ids = report.findings.map((f) => f.checkId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(report.summary.critical + report.summary.high + report.summary.medium + report.summary.low + report.summary.info).toBe(ids.length);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'PSS_RESTRICTED_VOLUME_TYPES')!;
    expect(result.locations.map((l) => l.physicalLocation.region.startLine)).toEqual([14, 15, 16]);
  });

  it('has a --summary view and --group-by check', () => {
    const summary = palisade(['audit', '-', '--summary'], { input: driverDaemonSet });
    expect(summary.stdout).toContain('By check:\n');
    expect(summary.stdout).toMatch(/^ {2}1 {2}critical {2}PSS_BASELINE_PRIVILEGED {2}Container is privileged$/m);
    expect(summary.stdout).toMatch(/By namespace:\n {2}\d+ {2}gpu-operator/);
    expect(summary.stdout).not.toContain('fix:');
    const byCheck = palisade(['audit', '-', '--group-by', 'check'], { input: driverDaemonSet });
    const headings = byCheck.stdout.split('\n').filter((l) => /^[A-Z_]+ {2}[A-Z]+ {2}/.test(l));
    expect(headings[0]).toBe('PSS_BASELINE_PRIVILEGED  CRITICAL  Container is privileged (1 finding)');
    expect(json(palisade(['audit', '-', '--summary', '-f', 'json'], { input: driverDaemonSet }).stdout).breakdown?.byCheck[0]).toEqual({ checkId: 'PSS_BASELINE_PRIVILEGED', severity: 'critical', title: 'Container is privileged', count: 1 });
  });
});

describe('baselines', () => {
  it('reports only new findings: a line moved is not new, a new container with an old problem is', () => {
    const dir = tmp();
    const file = join(dir, 'ds.yaml');
    writeFileSync(file, driverDaemonSet);
    const before = palisade(['audit', file, '--format', 'json', '-o', `sarif=${join(dir, 'before.sarif')}`]);
    writeFileSync(join(dir, 'before.json'), before.stdout);
    // Lines added above every finding: nothing is new.
    writeFileSync(file, '# moved\n# down\n' + driverDaemonSet);
    for (const base of ['before.json', 'before.sarif']) {
      const same = palisade(['audit', file, '--format', 'json', '--baseline', join(dir, base)]);
      expect([base, json(same.stdout).findings]).toEqual([base, []]);
      expect(json(same.stdout).baseline?.known).toBe(json(before.stdout).findings.length);
      expect(same.status).toBe(0);
    }
    // A fourth privileged container: new occurrences of old checks are new.
    writeFileSync(file, driverDaemonSet.replace('      volumes:', '      - {name: d, image: "driver:1", securityContext: {privileged: true}}\n      volumes:'));
    const grown = palisade(['audit', file, '--format', 'json', '--baseline', join(dir, 'before.json')]);
    const fresh = json(grown.stdout).findings;
    expect(fresh.find((f) => f.checkId === 'RESOURCE_LIMITS_MISSING')?.message).toBe('container "d" has no cpu and memory limit');
    expect(fresh.every((f) => f.container === 'd' || f.occurrences?.every((o) => o.container === 'd') || f.path?.includes('/containers/3'))).toBe(true);
    expect(grown.status).toBe(1);
    const bad = palisade(['audit', file, '--baseline', join(dir, 'ds.yaml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--baseline');
  });
});

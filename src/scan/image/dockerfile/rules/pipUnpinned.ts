import type { DockerfileRule, RuleReport } from '../rule.js';
import { pipInstall } from './pip.js';
import { atCommand, runs } from './runs.js';

/**
 * Options of `pip install` (pip docs, "pip install" options and general options) and of
 * `pipx install` whose value is the next word: that word is not a requirement.
 */
const OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t', '--target', '--platform', '--python-version', '--implementation', '--abi', '--root', '--prefix', '--src',
  '--upgrade-strategy', '--progress-bar', '--root-user-action', '--report', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--global-option', '-C', '--config-settings',
  '--no-binary', '--only-binary', '--trusted-host', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--cache-dir', '--log', '--python',
  '--keyring-provider', '--use-feature', '--use-deprecated', '--build', '--pip-args', '--suffix', '--preinstall',
]);

/**
 * A requirement names one version: `==`, `===` or `~=` (a compatible release fixes all but the last
 * part), a direct URL or file, a local path, or a VCS URL with `@ref`. Ranges (`>=`, `<`, `!=`)
 * still take whatever is newest in the range: palisade counts them as unpinned, stricter than hadolint.
 */
function pinned(requirement: string): boolean {
  if (/^(git|hg|svn|bzr)\+/.test(requirement)) return /@[^/@]+$/.test(requirement.split('#', 1)[0]!.replace(/^[a-z+]+:\/\/[^/]*/, ''));
  if (/^[a-z]+:\/\//i.test(requirement)) return true; // a direct URL names one file
  if (/^[./~]|\//.test(requirement) || /\.(whl|tar\.gz|zip|tar\.bz2)$/.test(requirement)) return true; // a path: pip reads it as a local project or file
  return /(===?|~=)\s*[0-9A-Za-z]|\s@\s/.test(requirement);
}

/** `pip install torch` installs whatever is newest that day; a compromised release walks in. */
export const pipUnpinned: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_PIP_UNPINNED',
    family: 'dockerfile',
    severity: 'low',
    title: 'pip installs packages without a pinned version',
    description:
      'Packages installed by pip or pipx without ==version change between builds; a malicious or broken release is picked up silently. A constraints file (-c) pins what it names, so packages installed with one are not reported; version ranges (>=, <, !=) are.',
    remediation: 'Pin every package (torch==2.3.1), better in a requirements file installed with --require-hashes.',
    frameworks: { 'nist-800-53': ['CM-2', 'SR-4'], 'mitre-atlas': ['AML.T0010'] },
    messages: { unpinned: '{tool} installs {packages} without a pinned version' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      for (const command of run.script.commands) {
        const found = pipInstall(command);
        if (!found) continue;
        const { args, tool } = found;
        // pip install -c constraints.txt pkg: the constraints file decides the version
        if (args.some((a) => a === '-c' || a === '--constraint' || a.startsWith('--constraint='))) continue;
        const loose: string[] = [];
        for (let i = 1; i < args.length; i++) {
          const arg = args[i] as string;
          if (OPTIONS_WITH_VALUE.has(arg)) i++;
          else if (!arg.startsWith('-') && !pinned(arg)) loose.push(arg);
        }
        if (loose.length > 0) reports.push(atCommand(run, command, 'unpinned', { tool, packages: loose.join(', ') }));
      }
    }
    return reports;
  },
};

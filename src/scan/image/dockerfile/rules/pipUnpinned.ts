import type { DockerfileRule, RuleReport } from '../rule.js';
import { pipInstallArgs } from './pip.js';
import { atCommand, runs } from './runs.js';

/** pip options that take a value: their argument is not a requirement. */
const OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--cache-dir', '--trusted-host', '--platform', '--python-version', '--abi', '--implementation']);

/** A requirement names a version (==, ===, @ url) or is a file, directory or URL of its own. */
function pinned(requirement: string): boolean {
  return /===?|@|^[./]|^https?:|\.(whl|tar\.gz|zip)$/.test(requirement);
}

/** `pip install torch` installs whatever is newest that day; a compromised release walks in. */
export const pipUnpinned: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_PIP_UNPINNED',
    family: 'dockerfile',
    severity: 'low',
    title: 'pip installs packages without a pinned version',
    description: 'Packages installed without ==version change between builds; a malicious or broken release is picked up silently.',
    remediation: 'Pin every package (torch==2.3.1), better in a requirements file installed with --require-hashes.',
    frameworks: { 'nist-800-53': ['CM-2', 'SR-4'], 'mitre-atlas': ['AML.T0010'] },
    messages: { unpinned: 'pip installs {packages} without a pinned version' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      for (const command of run.script.commands) {
        const args = pipInstallArgs(command);
        if (!args) continue;
        const loose: string[] = [];
        for (let i = 1; i < args.length; i++) {
          const arg = args[i] as string;
          if (OPTIONS_WITH_VALUE.has(arg)) i++;
          else if (!arg.startsWith('-') && !pinned(arg)) loose.push(arg);
        }
        if (loose.length > 0) reports.push(atCommand(run, command, 'unpinned', { packages: loose.join(', ') }));
      }
    }
    return reports;
  },
};

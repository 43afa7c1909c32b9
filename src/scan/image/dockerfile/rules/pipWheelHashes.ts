import type { DockerfileRule, RuleReport } from '../rule.js';
import { pipInstallArgs } from './pip.js';
import { atCommand, runs } from './runs.js';

/** `pip install ./x.whl` or `-r requirements.txt` without --require-hashes trusts whatever file is there. */
export const pipWheelHashes: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_PIP_NO_HASHES',
    family: 'dockerfile',
    severity: 'low',
    title: 'pip installs a local wheel without --require-hashes',
    description: 'A wheel or sdist from the build context is installed without hash checking; a swapped file goes unnoticed.',
    remediation: 'List the file with its sha256 in a requirements file and install with pip install --require-hashes -r requirements.txt.',
    frameworks: { 'nist-800-53': ['SI-7', 'SR-4'] },
    messages: { wheel: 'pip installs "{file}" without --require-hashes' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      for (const command of run.script.commands) {
        const args = pipInstallArgs(command);
        if (!args || args.includes('--require-hashes')) continue;
        const file = args.find((a) => /\.(whl|tar\.gz|zip)$/.test(a) && !/^https?:/.test(a));
        if (file) reports.push(atCommand(run, command, 'wheel', { file }));
      }
    }
    return reports;
  },
};

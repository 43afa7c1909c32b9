import type { DockerfileRule, RuleReport } from '../rule.js';
import { aptInstalls } from './apt.js';
import { atCommand, runs } from './runs.js';

/** Recommended packages roughly double a Debian image and its CVE count, for nothing the server uses. */
export const aptInstallRecommends: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_APT_RECOMMENDS',
    family: 'dockerfile',
    severity: 'low',
    title: 'apt-get install without --no-install-recommends',
    description: 'Without --no-install-recommends apt installs recommended packages too: a bigger image with more vulnerabilities to patch.',
    remediation: 'Use apt-get install -y --no-install-recommends <packages>.',
    frameworks: { 'nist-800-53': ['CM-7'] },
    messages: { recommends: '{program} install without --no-install-recommends' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile, 'shipped')) {
      for (const { command, program, args } of aptInstalls(run.script.commands)) {
        // aptitude(8) spells it --without-recommends or -R.
        const off = args.some((a) => a === '--no-install-recommends' || (program === 'aptitude' && (a === '--without-recommends' || a === '-R')) || /^-o\s*APT::Install-Recommends=(false|0)$/i.test(a) || /APT::Install-Recommends=(false|0)/i.test(a));
        if (!off) reports.push(atCommand(run, command, 'recommends', { program }));
      }
    }
    return reports;
  },
};

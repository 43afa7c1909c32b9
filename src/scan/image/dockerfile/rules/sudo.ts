import type { DockerfileRule, RuleReport } from '../rule.js';
import { atCommand, runs } from './runs.js';

/**
 * `RUN sudo …`: the build runs as the USER in force; when that is root, sudo is noise, and when it
 * is not, a password-less sudo in the image lets every process become root. hadolint DL3004.
 */
export const sudo: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_SUDO',
    family: 'dockerfile',
    severity: 'medium',
    title: 'RUN uses sudo',
    description:
      'A RUN calls sudo. Build steps run as the current USER; sudo that works during the build means the image lets its non-root user become root without a password, which undoes running as non-root. Use USER root for the steps that need it and switch back.',
    remediation: 'Drop sudo: put the privileged steps under USER root, end with USER <uid>, and do not install sudo in the image.',
    frameworks: { 'nist-800-53': ['AC-6'], 'mitre-attack': ['T1548'] },
    messages: { sudo: 'RUN uses sudo: {command}' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      for (const command of run.script.commands) {
        // past VAR=value prefixes and env: the program is sudo itself, not a package named sudo
        const words = command.words.filter((w, i, all) => !all.slice(0, i + 1).every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x) || x === 'env'));
        if (words[0]?.replace(/^.*\//, '') === 'sudo') reports.push(atCommand(run, command, 'sudo', { command: command.words.slice(0, 4).join(' ') }));
      }
    }
    return reports;
  },
};

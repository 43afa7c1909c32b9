import type { DockerfileRule, RuleReport } from '../rule.js';
import { aptInstalls } from './apt.js';
import { atCommand, runs } from './runs.js';

/** Package lists left in a layer stay in the image forever, even if a later RUN deletes them. */
export const aptCleanup: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_APT_NO_CLEANUP',
    family: 'dockerfile',
    severity: 'low',
    title: 'apt lists not removed in the same RUN',
    description: 'apt-get install leaves /var/lib/apt/lists in the layer unless the same RUN removes them or they live on a cache mount.',
    remediation: 'End the RUN with && rm -rf /var/lib/apt/lists/*, or use RUN --mount=type=cache,target=/var/lib/apt.',
    frameworks: { 'nist-800-53': ['CM-7'] },
    messages: { noCleanup: 'apt-get install without rm -rf /var/lib/apt/lists/* in the same RUN' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      const installs = aptInstalls(run.script.commands);
      const first = installs[0];
      if (!first) continue;
      const cleaned = /\brm\s+(-[a-zA-Z]+\s+)*[^&;|]*\/var\/lib\/apt\/lists/.test(run.script.text) || /\bapt-get\s+(dist-)?clean\b[\s\S]*\/var\/lib\/apt\/lists|\/var\/lib\/apt\/lists[\s\S]*\bclean\b/.test(run.script.text);
      const cacheMount = run.scoped.instruction.flags.some((f) => f.name === 'mount' && /type=cache/.test(f.value ?? '') && /target=\/var\/(lib|cache)\/apt/.test(f.value ?? ''));
      if (!cleaned && !cacheMount) reports.push(atCommand(run, first.command, 'noCleanup'));
    }
    return reports;
  },
};

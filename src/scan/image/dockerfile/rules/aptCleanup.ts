import type { DockerfileRule, RuleReport } from '../rule.js';
import { aptInstalls, mountedAway } from './apt.js';
import { atCommand, runs } from './runs.js';

/** apt's package lists (apt-get(8): /var/lib/apt/lists) and its downloaded archives (/var/cache/apt/archives). */
const LISTS = ['/var/lib/apt', '/var/lib/apt/lists'];
const ARCHIVES = ['/var/cache/apt', '/var/cache/apt/archives'];

/**
 * Package lists left in a layer stay in the image forever, even if a later RUN deletes them. Only
 * the shipped stages count: a builder stage's layers are not in the image. A cache or tmpfs mount
 * keeps a directory out of the layer, but a mount on /var/cache/apt does not hold the lists. When
 * the build removed Debian's docker-clean hook (which deletes downloaded .debs after each install),
 * the archives stay too unless /var/cache/apt is mounted away or cleaned.
 */
export const aptCleanup: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_APT_NO_CLEANUP',
    family: 'dockerfile',
    severity: 'low',
    title: 'apt lists not removed in the same RUN',
    description:
      'apt-get install leaves /var/lib/apt/lists in the layer unless the same RUN removes them or /var/lib/apt is a cache or tmpfs mount (a mount on /var/cache/apt holds the archives, not the lists). Judged in the stages whose layers make the image.',
    remediation: 'End the RUN with && rm -rf /var/lib/apt/lists/*, or use RUN --mount=type=cache,target=/var/lib/apt (and target=/var/cache/apt when docker-clean is removed).',
    frameworks: { 'nist-800-53': ['CM-7'] },
    messages: {
      noCleanup: '{program} install without rm -rf /var/lib/apt/lists/* in the same RUN',
      archives: '{program} install with the docker-clean hook removed leaves .deb archives in /var/cache/apt: mount it as a cache or run apt-get clean',
    },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    // The shipped stages are one FROM chain in file order: a removal carries into the stages after it.
    let dockerCleanRemoved = false;
    for (const run of runs(dockerfile, 'shipped')) {
      const text = run.script.text;
      if (/\brm\b[^&;|\n]*\/etc\/apt\/apt\.conf\.d\/docker-clean\b/.test(text)) dockerCleanRemoved = true;
      const first = aptInstalls(run.script.commands)[0];
      if (!first) continue;
      const mounted = mountedAway(run.scoped.instruction.flags);
      const listsRemoved = /\brm\s+(-[a-zA-Z]+\s+)*[^&;|]*\/var\/lib\/apt\/lists/.test(text);
      if (!listsRemoved && !mounted.some((m) => LISTS.includes(m))) {
        reports.push(atCommand(run, first.command, 'noCleanup', { program: first.program }));
        continue;
      }
      const archivesCleaned = mounted.some((m) => ARCHIVES.includes(m)) || /\bapt(-get)?\s+(auto|dist-)?clean\b|\brm\s+(-[a-zA-Z]+\s+)*[^&;|]*\/var\/cache\/apt/.test(text);
      if (dockerCleanRemoved && !archivesCleaned) reports.push(atCommand(run, first.command, 'archives', { program: first.program }));
    }
    return reports;
  },
};

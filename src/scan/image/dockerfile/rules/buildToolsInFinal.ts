import { BUILD_TOOL_PACKAGES, INSTALL_VERBS, PACKAGE_MANAGERS } from '../../../../knowledge/index.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { programOf } from '../shell.js';
import { atCommand, runs } from './runs.js';

/** Compilers installed in a stage that ships: build in a builder stage, copy only the result. */
export const buildToolsInFinal: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_BUILD_TOOLS_IN_FINAL',
    family: 'dockerfile',
    severity: 'low',
    title: 'Build tools in the final image',
    description: 'The shipped stage installs compilers or build tools; they add attack surface and vulnerabilities the server never needs.',
    remediation: 'Build in a separate stage (FROM … AS build) and COPY --from=build only the artifacts into a slim or distroless final stage.',
    frameworks: { 'nist-800-53': ['CM-7'], cis: ['4.3'] },
    messages: { tools: '{manager} installs {packages} in the final image; use a multi-stage build' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile, 'shipped')) {
      for (const command of run.script.commands) {
        const program = programOf(command);
        if (!program || !PACKAGE_MANAGERS.has(program.name) || !program.args.some((a) => INSTALL_VERBS.has(a))) continue;
        const packages = program.args.filter((a) => BUILD_TOOL_PACKAGES.has(a.split('=')[0] as string));
        if (packages.length > 0) reports.push(atCommand(run, command, 'tools', { manager: program.name, packages: packages.join(', ') }));
      }
    }
    return reports;
  },
};

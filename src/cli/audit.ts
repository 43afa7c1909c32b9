import { Option, type Command } from 'commander';
import { catalogue, complianceView, filterByFramework } from '../audit/ruleset.js';
import type { AuditSession } from '../audit/index.js';
import { FRAMEWORKS, type FrameworkId } from '../core/types.js';
import { describe } from './commands.js';
import { manifestCommand, type ManifestFlags } from './manifests.js';

export function register(program: Command, setExit: (code: number) => void): void {
  // One session per run: per-file checks as each file is read, cluster checks once at the end.
  let session: AuditSession | undefined;
  const command = manifestCommand(
    program,
    'audit',
    describe('audit'),
    setExit,
    async (part, policy, config) => {
      const { AuditSession } = await import('../audit/index.js');
      session ??= new AuditSession({ ...policy, config });
      return session.addFile(part);
    },
    {
      finish: () => session?.finish() ?? { results: [], findings: [], errors: [] },
      present: (findings, flags: ManifestFlags & { framework?: FrameworkId }) => {
        // The HTML report draws who reaches the model servers; the graph is computed only when asked for.
        const wantsGraph = flags.format === 'html' || (flags.output ?? []).some((spec) => spec.startsWith('html='));
        const network = wantsGraph ? session?.networkGraph() : undefined;
        const paths = wantsGraph ? (session?.attackPaths() ?? []) : [];
        const graph = { ...(network ? { network } : {}), ...(paths.length > 0 ? { rbac: { attackPaths: paths } } : {}) };
        if (!flags.framework) return { findings, extra: graph };
        const entries = catalogue();
        // Every check runs unless the config disables it.
        const enabled = (id: string): boolean => !session || session.enabledChecks.has(id) || id === 'WORKLOAD_DISCOVERED';
        return { findings: filterByFramework(findings, flags.framework), extra: { ...graph, compliance: complianceView(findings, flags.framework, entries, enabled) } };
      },
    },
  );
  command.addOption(new Option('--framework <id>', 'only findings mapped to this framework; the JSON report adds `compliance`: each control violated, satisfied or untested').choices([...FRAMEWORKS]));
}

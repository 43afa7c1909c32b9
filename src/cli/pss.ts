import type { Command } from 'commander';
import { describe } from './commands.js';
import { manifestCommand } from './manifests.js';

export function register(program: Command, setExit: (code: number) => void): void {
  manifestCommand(program, 'pss', describe('pss'), setExit, async (part, policy, config) => {
    const { evaluateResources } = await import('../pss/index.js');
    const { workloadTable, malformedWorkloadFindings } = await import('../audit/index.js');
    const table = workloadTable(config);
    const outcome = evaluateResources(part.resources, { ...policy, table });
    // A pod spec written as a string or a list is refused by the API server: never a silent pass.
    return { ...outcome, findings: [...outcome.findings, ...malformedWorkloadFindings(part.resources, table)] };
  });
}

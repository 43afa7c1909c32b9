import type { Command } from 'commander';
import { describe } from './commands.js';
import { manifestCommand } from './manifests.js';

export function register(program: Command, setExit: (code: number) => void): void {
  manifestCommand(program, 'pss', describe('pss'), setExit, async (part, policy, config) => {
    const { evaluateResources } = await import('../pss/index.js');
    const { workloadTable } = await import('../audit/index.js');
    return evaluateResources(part.resources, { ...policy, table: workloadTable(config) });
  });
}

import type { Command } from 'commander';
import { manifestCommand } from './manifests.js';

export function register(program: Command, setExit: (code: number) => void): void {
  manifestCommand(program, 'audit', 'audit manifests: Pod Security Standards plus ML-aware posture checks', setExit, async (part, policy, config) => {
    const { audit } = await import('../audit/index.js');
    return audit(part, { ...policy, config });
  });
}

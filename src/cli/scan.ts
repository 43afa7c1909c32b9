import type { Command } from 'commander';
import { describe } from './commands.js';

type Register = (scan: Command, setExit: (code: number) => void) => void;

/** The subcommands, in the order help lists them, each module loaded only when registered. */
const SUBCOMMANDS: ReadonlyArray<{ name: string; load: () => Promise<Register> }> = [
  { name: 'model', load: async () => (await import('./scan-model.js')).registerScanModel },
  { name: 'image', load: async () => (await import('./scan-image.js')).registerScanImage },
  { name: 'dockerfile', load: async () => (await import('./scan-dockerfile.js')).registerScanDockerfile },
  { name: 'report', load: async () => (await import('./scan-report.js')).registerScanReport },
];

/**
 * `palisade scan <artifact>`: one subcommand per kind of artifact. A run that names one (`scan model
 * …`) registers only that one, so a model scan never loads the image scanner's command (issue 23:
 * start-up); anything else (`scan --help`, a misspelt subcommand) registers them all.
 */
export async function register(program: Command, setExit: (code: number) => void, argv: readonly string[] = []): Promise<void> {
  const scan = program.command('scan').description(describe('scan'));
  const named = SUBCOMMANDS.filter((sub) => sub.name === argv[3]);
  for (const sub of named.length > 0 ? named : SUBCOMMANDS) (await sub.load())(scan, setExit);
}

import type { Command } from 'commander';
import { describe } from '../commands.js';
import { registerDiff } from './diff.js';
import { registerExplain } from './explain.js';
import { registerGenerate } from './generate.js';
import { registerLint } from './lint.js';
import { registerMatrix } from './matrix.js';
import { registerVerify } from './verify.js';

/** `palisade netpol <subcommand>`: one file per subcommand; what they share is in shared.ts. */
export function register(program: Command, setExit: (code: number) => void): void {
  const netpol = program.command('netpol').description(describe('netpol'));
  registerMatrix(netpol, setExit);
  registerExplain(netpol, setExit);
  registerVerify(netpol, setExit);
  registerLint(netpol, setExit);
  registerDiff(netpol, setExit);
  registerGenerate(netpol, setExit);
}

import type { Command } from 'commander';
import { describe } from './commands.js';
import { registerScanDockerfile } from './scan-dockerfile.js';
import { registerScanImage } from './scan-image.js';
import { registerScanModel } from './scan-model.js';
import { registerScanReport } from './scan-report.js';

/** `palisade scan <artifact>`: one subcommand per kind of artifact. */
export function register(program: Command, setExit: (code: number) => void): void {
  const scan = program.command('scan').description(describe('scan'));
  registerScanModel(scan, setExit);
  registerScanImage(scan, setExit);
  registerScanDockerfile(scan, setExit);
  registerScanReport(scan, setExit);
}

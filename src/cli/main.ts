#!/usr/bin/env node
/**
 * Entry point. `--version` answers before anything is imported; each command's module is loaded only
 * when that command runs, so start-up stays close to a bare `node`.
 */
import { COMMANDS } from './commands.js';

/**
 * Libraries print to the console (jsfive warns about HDF5 attribute types it cannot read). stdout
 * carries reports and palisade itself never writes through `console`, so here, at the edge, library
 * console output is dropped: engines never swap globals themselves.
 */
function quietLibraries(): void {
  for (const method of ['log', 'info', 'debug', 'warn'] as const) console[method] = () => undefined;
}

/**
 * `palisade … | head`: when the reader closes the pipe, the run ends quietly with 141 (128 +
 * SIGPIPE), the status a shell reports for Unix tools the closed pipe stops. Node ignores SIGPIPE,
 * so without this the next write would end in an EPIPE stack trace.
 */
function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(141);
  });
}

async function main(argv: string[]): Promise<number> {
  quietLibraries();
  endQuietlyOnClosedPipe();
  // `palisade help CMD [SUB]` is `palisade CMD [SUB] --help`, so both print the full help.
  if (argv[2] === 'help' && argv.length > 3) argv = [...argv.slice(0, 2), ...argv.slice(3), '--help'];
  const first = argv[2];
  if (first === '--version' || first === '-V') {
    const { VERSION } = await import('../core/version.js');
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const { Command, CommanderError } = await import('commander');
  const { VERSION } = await import('../core/version.js');
  const { PalisadeError } = await import('../core/errors.js');
  const program = new Command('palisade')
    .description('Secure ML model serving on Kubernetes: Pod Security Standards, ML-aware checks, network policy, supply chain.')
    .version(VERSION)
    // Program options only before the command: `pss --version v1.30` is the PSS version flag.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  for (const entry of COMMANDS) {
    if (entry.name === first) {
      const module = (await entry.load()) as { register: (program: InstanceType<typeof Command>, setExit: (code: number) => void, argv: readonly string[]) => void | Promise<void> };
      await module.register(program, setExit, argv);
    } else {
      // A stub, so `palisade --help` lists every command without loading it.
      program.command(entry.name).description(entry.description).allowUnknownOption().helpOption(false).action(() => undefined);
    }
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof PalisadeError) {
      process.stderr.write(`palisade: ${error.format()}\n`);
      return 2;
    }
    process.stderr.write(`palisade: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`palisade: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * One command line, in this process: the program is built as dist/cli/main.js builds it (a spawn per
 * line costs minutes on a busy machine); run it in a process of its own (it changes cwd). stdout and stderr are captured, cwd is switched around it.
 */
export async function runCli(cwd, args) {
  const { Command, CommanderError } = await import('commander');
  const { COMMANDS } = await import(join(ROOT, 'dist/cli/commands.js'));
  const { PalisadeError } = await import(join(ROOT, 'dist/core/errors.js'));
  const stdout = [];
  const stderr = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  const before = process.cwd();
  process.stdout.write = (chunk) => (stdout.push(String(chunk)), true);
  process.stderr.write = (chunk) => (stderr.push(String(chunk)), true);
  process.chdir(cwd);
  let code = 0;
  try {
    const program = new Command('palisade').enablePositionalOptions().exitOverride().configureOutput({ outputError: (text, w) => w(text) });
    const entry = COMMANDS.find((e) => e.name === args[0]);
    // A command may register its subcommands asynchronously (scan loads only the one named).
    await (await entry.load()).register(program, (c) => (code = c), ['node', 'palisade', ...args]);
    await program.parseAsync(['node', 'palisade', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof PalisadeError) {
      stderr.push(`palisade: ${error.format()}\n`);
      code = 2;
    } else {
      stderr.push(`palisade: internal error: ${error?.stack ?? String(error)}\n`);
      code = 2;
    }
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.chdir(before);
  }
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}


import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A private temporary directory for one command, removed when the command ends, and also when the
 * run is stopped by SIGINT or SIGTERM (a `finally` does not run then): an image scan killed
 * half-way must not leave gigabytes of pulled layers and spooled model files behind.
 */
export async function withTempRoot<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const handlers = (Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]).map((signal) => {
    const handler = (): void => {
      remove();
      process.stderr.write(`palisade: stopped by ${signal}; removed ${dir}\n`);
      process.exit(SIGNAL_EXIT[signal]);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  try {
    return await fn(dir);
  } finally {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    remove();
  }
}

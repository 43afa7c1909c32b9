/**
 * A one-line progress report on stderr for long runs: nothing for the first two seconds (most runs
 * end before), then at most ten updates a second, overwritten in place, erased at the end. Only on
 * a terminal: logs and pipes never see it.
 */
export interface Progress {
  update(text: () => string): void;
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function createProgress(stream: ProgressStream, options: { enabled: boolean; delayMs?: number; intervalMs?: number; now?: () => number }): Progress {
  if (!options.enabled || stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  const now = options.now ?? Date.now;
  const start = now();
  const delay = options.delayMs ?? 2000;
  const interval = options.intervalMs ?? 100;
  let last = -Infinity;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (t - start < delay || t - last < interval) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[2Kpalisade: ${text()}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

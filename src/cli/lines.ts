/**
 * JSON log lines for the long-running servers. A webhook under load logs one line per decision;
 * writing each line on its own costs a write(2) per request (stdout to a pipe or file is
 * synchronous in Node on Linux), so lines are gathered within one turn of the event loop and
 * written together. Nothing is lost: the buffer is written before the process exits.
 */
export interface LineLog {
  (entry: Record<string, unknown>): void;
  /** A line already serialized (one JSON object, no newline), queued with the others in order. */
  line(json: string): void;
  /** Write what is buffered now (before exit, or when order with other output matters). */
  flush(): void;
}

export function batchedJsonLines(write: (text: string) => void): LineLog {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  const line = (json: string): void => {
    pending.push(json + '\n');
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const log = ((entry: Record<string, unknown>): void => line(JSON.stringify(entry))) as LineLog;
  log.line = line;
  log.flush = flush;
  process.once('exit', flush);
  return log;
}

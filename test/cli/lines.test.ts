import { describe, expect, it } from 'vitest';
import { batchedJsonLines } from '../../src/cli/lines.js';

describe('batchedJsonLines', () => {
  it('writes the lines logged within one turn of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    const log = batchedJsonLines((text) => writes.push(text));
    log({ n: 1 });
    log({ n: 2, msg: 'decision' });
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['{"n":1}\n{"n":2,"msg":"decision"}\n']);
    log({ n: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['{"n":1}\n{"n":2,"msg":"decision"}\n', '{"n":3}\n']);
  });

  it('flush writes what is buffered at once, and a later turn does not write it again', async () => {
    const writes: string[] = [];
    const log = batchedJsonLines((text) => writes.push(text));
    log({ level: 'info' });
    log.flush();
    expect(writes).toEqual(['{"level":"info"}\n']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['{"level":"info"}\n']);
  });

  it('queues lines given as JSON text with the others, in order', async () => {
    const writes: string[] = [];
    const log = batchedJsonLines((text) => writes.push(text));
    log({ n: 1 });
    log.line('{"n":2}');
    log({ n: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);
  });
});

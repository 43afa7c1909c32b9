import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHARED } from '../helpers/shared.js';
import { palisade } from '../helpers/cli.js';

/** Engines never print, read the environment or the working directory, or swap globals: only cli/ does. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('the edges: process globals belong to the CLI', () => {
  it('no file outside src/cli uses console, process.cwd() or process.env', () => {
    const offenders = files(join(ROOT, 'src'))
      .filter((f) => !relative(join(ROOT, 'src'), f).startsWith('cli/'))
      .flatMap((f) => {
        const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        return [...text.matchAll(/\bconsole\.\w+|\bprocess\.cwd\(|\bprocess\.env\b/g)].map((m) => `${relative(ROOT, f)}: ${m[0]}`);
      });
    expect(offenders).toEqual([]);
  });

  it('a Keras HDF5 scan through the CLI writes nothing but the report to stdout', () => {
    const run = palisade(['scan', 'model', join(SHARED, 'corpus/models/generated/keras/h5_lambda_os_system.h5'), '--format', 'json', '--fail-on', 'none']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { files: Array<{ format: string; findings: Array<{ rule: string }> }> };
    expect(report.files.map((f) => [f.format, f.findings.map((x) => x.rule)])).toEqual([['keras-h5', ['KERAS_LAMBDA']]]);
  });
});

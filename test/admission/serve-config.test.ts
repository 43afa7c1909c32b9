import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/shared.js';
import { makeCerts } from './harness.js';

/**
 * `palisade serve` validates `checks:` as `palisade audit` does: the engine configures the posture
 * checks, and an entry for any other rule is checked against the whole rule catalogue, which serve
 * loads only then (test/admission/imports.test.ts keeps it out of the admission module).
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Start `palisade serve` with `config` as .palisade.yaml; SIGTERM it once it listens. */
function serve(config: string): Promise<Run> {
  const certs = makeCerts();
  writeFileSync(join(certs.dir, 'config.yaml'), config);
  writeFileSync(join(certs.dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n');
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'serve', '--listen', '127.0.0.1:0', '--tls-cert', certs.certFile, '--tls-key', certs.keyFile, '--namespaces', join(certs.dir, 'ns.yaml'), '--drain-delay', '0', '--config', join(certs.dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { code: null, stdout: '', stderr: '' };
  let stopped = false;
  child.stdout.on('data', (chunk: Buffer) => {
    run.stdout += chunk.toString();
    if (!stopped && run.stdout.includes('"msg":"listening"')) stopped = child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ ...run, code })));
}

describe('palisade serve: checks: in .palisade.yaml', () => {
  it('an unknown check id stops it at start, with the field, as palisade audit does', async () => {
    const run = await serve('checks:\n  NO_SUCH_CHECK: false\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.yaml:2:18: config field checks\.NO_SUCH_CHECK: unknown check "NO_SUCH_CHECK"; run palisade checks list\n$/);
    expect(run.stdout).not.toContain('listening');
  });

  it('params given to another engine’s rule stop it too', async () => {
    const run = await serve('checks:\n  NETPOL_INTENT_BROKEN:\n    params: {x: 1}\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.yaml:3:13: config field checks\.NETPOL_INTENT_BROKEN\.params: NETPOL_INTENT_BROKEN takes no params\n$/);
  });

  it('a posture check’s bad param stops it, with or without entries for other rules', async () => {
    const param = 'checks:\n  RESOURCE_LIMITS_MISSING:\n    params:\n      resources: [gpu]\n';
    for (const config of [param, `${param}  NETPOL_INTENT_BROKEN: false\n`]) {
      const run = await serve(config);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/config\.yaml:4:19: config field checks\.RESOURCE_LIMITS_MISSING\.params\.resources\.0: Invalid option: expected one of "cpu"\|"memory"\n$/);
    }
  });

  it('known entries for other rules and posture checks start it', async () => {
    const run = await serve('checks:\n  NETPOL_INTENT_BROKEN: false\n  HOST_PORT: {severity: low}\n');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('"msg":"listening"');
    expect(run.code).toBe(0);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/shared.js';
import type { CliRun } from '../helpers/cli.js';
import type { FakeApi } from './fakeApiServer.js';

/** The built CLI, run without blocking: the fake API server answers from this same process. */
export function palisadeAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A kubeconfig file for the fake server, in a fresh temp dir. */
export function writeKubeconfig(api: FakeApi, options: Parameters<FakeApi['kubeconfig']>[0] = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-cluster-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, api.kubeconfig(options));
  return path;
}

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('a run stopped by a signal', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`removes its temporary directory on ${signal} and exits ${code}`, () => {
      // the child fills its temp root, then is signalled half-way through the work
      const script = `
        import { writeFileSync, mkdirSync } from 'node:fs';
        import { withTempRoot } from ${JSON.stringify(`${repo}dist/cli/tempRoot.js`)};
        await withTempRoot('palisade-test-', async (dir) => {
          mkdirSync(dir + '/palisade-models-x');
          writeFileSync(dir + '/palisade-models-x/blob', Buffer.alloc(1024 * 1024));
          console.log(dir);
          process.kill(process.pid, '${signal}');
          await new Promise((r) => setTimeout(r, 10_000));
        });`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      const dir = child.stdout.trim();
      expect(dir).toMatch(/palisade-test-/);
      expect(child.status).toBe(code);
      expect(existsSync(dir)).toBe(false);
      expect(child.stderr).toContain(`stopped by ${signal}`);
    });
  }
});

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCKERFILE_RULES } from '../../../../src/scan/image/dockerfile/index.js';
import { IMAGE_CHECKS } from '../../../../src/scan/image/index.js';

/** The registries stay in step with their tests and metadata, as eslint's checkRuleFiles does. */
describe('rule registries', () => {
  it('Dockerfile rules: unique ids, sorted, complete meta, one test file each', () => {
    const ids = DOCKERFILE_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const rule of DOCKERFILE_RULES) {
      expect(rule.meta.id).toMatch(/^DOCKERFILE_[A-Z_]+$/);
      expect(rule.meta.remediation).toMatch(/\.$/);
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      const file = new URL(`./rules/${fileOf(rule.meta.id)}.test.ts`, import.meta.url);
      expect([rule.meta.id, existsSync(file)]).toEqual([rule.meta.id, true]);
    }
  });

  it('image checks: unique ids, sorted, complete meta', () => {
    const ids = IMAGE_CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const check of IMAGE_CHECKS) expect(check.meta.remediation).toMatch(/\.$/);
  });
});

/** Rule id → the file name of its module and test (DOCKERFILE_CURL_PIPE_SHELL → curlPipeShell). */
function fileOf(id: string): string {
  const files: Record<string, string> = {
    DOCKERFILE_ADD_URL: 'addFromUrl',
    DOCKERFILE_ADMIN_PORT: 'adminPortExposed',
    DOCKERFILE_APT_NO_CLEANUP: 'aptCleanup',
    DOCKERFILE_APT_RECOMMENDS: 'aptInstallRecommends',
    DOCKERFILE_BASE_LATEST: 'baseImageLatest',
    DOCKERFILE_BASE_NO_DIGEST: 'baseImageDigest',
    DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED: 'baseRegistry',
    DOCKERFILE_BUILD_TOOLS_IN_FINAL: 'buildToolsInFinal',
    DOCKERFILE_COPY_CONTEXT: 'copyWholeContext',
    DOCKERFILE_CURL_PIPE_SHELL: 'curlPipeShell',
    DOCKERFILE_MODEL_DOWNLOAD_UNVERIFIED: 'modelDownloadChecksum',
    DOCKERFILE_MODEL_IN_IMAGE: 'modelFileCopied',
    DOCKERFILE_NO_HEALTHCHECK: 'noHealthcheck',
    DOCKERFILE_PACKAGE_UNPINNED: 'packageUnpinned',
    DOCKERFILE_PIP_NO_HASHES: 'pipWheelHashes',
    DOCKERFILE_PIP_UNPINNED: 'pipUnpinned',
    DOCKERFILE_ROOT_USER: 'rootUser',
    DOCKERFILE_SECRET_IN_ENV: 'secretInEnv',
    DOCKERFILE_SUDO: 'sudo',
    DOCKERFILE_TRUST_REMOTE_CODE: 'trustRemoteCode',
    DOCKERFILE_USER_NOT_NUMERIC: 'userNotNumeric',
    DOCKERFILE_WORLD_WRITABLE: 'chmod777',
  };
  return files[id] ?? `missing-${id}`;
}

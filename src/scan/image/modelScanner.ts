import type { ModelScanner } from './index.js';

/**
 * The model-scanning engine (src/scan/model) behind the image scanner's seam, loaded only when an
 * image holds a model file. Kept out of scanImage itself so the image engine can be tested with any
 * scanner and never loads the pickle VM it does not need.
 */
export const modelEngineScanner: ModelScanner = async ({ path, bytes, localFile }) => {
  const { scanModelBytes, scanModelFile } = await import('../model/index.js');
  // The image scanner has hashed the file already.
  const scanned = bytes ? await scanModelBytes(bytes, path, { hash: false }) : await scanModelFile(localFile as string, { hash: false });
  return {
    format: scanned.format,
    verdict: scanned.verdict,
    findings: scanned.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.global !== undefined ? { global: f.global } : {}),
      ...(f.offset !== undefined ? { offset: f.offset } : {}),
      ...(f.member !== undefined ? { member: f.member } : {}),
    })),
  };
};

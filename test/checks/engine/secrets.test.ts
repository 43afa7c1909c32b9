import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entropy, isPlaceholder, isSecretName, maskSecret, secretReason } from '../../../src/checks/secrets.js';

describe('secret detection', () => {
  it('names: known credentials, secret words, harmless companions', () => {
    expect(['HF_TOKEN', 'hugging_face_hub_token', 'OPENAI_API_KEY', 'db-password', 'MY_SECRET_KEY'].map(isSecretName)).toEqual([true, true, true, true, true]);
    expect(['HF_TOKEN_PATH', 'TOKEN_TTL', 'API_URL', 'KEYBOARD', 'TOKENIZERS_PARALLELISM'].map(isSecretName)).toEqual([false, false, false, false, false]);
  });

  it('reasons: token format under any name, known name with any literal, random value under a secret name', () => {
    expect(secretReason('ANYTHING', 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789')).toEqual({ kind: 'tokenFormat', format: 'Hugging Face token' });
    expect(secretReason('MLFLOW_TRACKING_PASSWORD', 'hunter2')).toEqual({ kind: 'knownName' });
    expect(secretReason('SESSION_SECRET', 'k8J2mQ9xZ4vB7nW1pL6sT3rY8')).toEqual({ kind: 'entropy' });
    expect(secretReason('SESSION_SECRET', 'aaaaaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(secretReason('HF_TOKEN', '${HF_TOKEN}')).toBeUndefined();
    expect(secretReason('HF_TOKEN', '<token>')).toBeUndefined();
    expect(secretReason('HF_TOKEN', '')).toBeUndefined();
  });

  it('entropy of a constant string is 0 and of n distinct characters is log2(n)', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
  });

  it('a masked value never shows more than its first 4 characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (value) => {
        const masked = maskSecret(value);
        const shown = masked.replace(/\*+$/, '');
        expect(shown.length).toBeLessThanOrEqual(value.length > 8 ? 4 : 0);
        expect(value.startsWith(shown)).toBe(true);
      }),
    );
  });

  it('anything wrapped in ${…}, $(…) or <…> is a placeholder, never a secret (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_]{1,30}$/), fc.constantFrom((s: string) => `\${${s}}`, (s: string) => `$(${s})`, (s: string) => `<${s}>`), (inner, wrap) => {
        expect(isPlaceholder(wrap(inner))).toBe(true);
        expect(secretReason('HF_TOKEN', wrap(inner))).toBeUndefined();
      }),
    );
  });
});

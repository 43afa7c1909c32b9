import {
  CREDENTIAL_URL,
  ENTROPY_BITS_PER_CHAR,
  ENTROPY_MIN_LENGTH,
  EXAMPLE_SECRET_PATTERNS,
  KNOWN_SECRET_NAMES,
  NOT_PASSWORD_NAME_WORDS,
  NOT_PASSWORD_VALUES,
  NOT_SECRET_WORDS,
  PASSWORD_NAME_WORDS,
  PLACEHOLDER_PATTERNS,
  SECRET_NAME_PAIRS,
  SECRET_NAME_WORDS,
  TOKEN_FORMATS,
  URL_PASSWORD_PLACEHOLDERS,
} from '../knowledge/index.js';

/** Why a value is taken for a secret, or undefined when it is not one. */
export type SecretReason = { kind: 'knownName' } | { kind: 'tokenFormat'; format: string } | { kind: 'credentialUrl' } | { kind: 'password' } | { kind: 'entropy' };

/** A template placeholder or a published example credential: not a secret. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim().replace(/^['"]|['"]$/g, '');
  return trimmed === '' || PLACEHOLDER_PATTERNS.some((p) => p.test(trimmed)) || EXAMPLE_SECRET_PATTERNS.some((p) => p.test(trimmed));
}

export function isSecretName(name: string): boolean {
  if (KNOWN_SECRET_NAMES.has(name.toUpperCase())) return true;
  const words = name.toLowerCase().split(/[_.-]+/).filter(Boolean);
  if (words.some((w) => NOT_SECRET_WORDS.has(w))) return false;
  if (words.some((w) => SECRET_NAME_WORDS.has(w))) return true;
  return SECRET_NAME_PAIRS.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
}

/** A name that says "password" by itself (`my_password`, `DB_PASSWD`), not a setting about passwords (`PASSWORD_FILE`, `PASSWORD_MIN_LENGTH`). */
export function isPasswordName(name: string): boolean {
  const words = name.toLowerCase().split(/[_.-]+/).filter(Boolean);
  return words.some((w) => PASSWORD_NAME_WORDS.has(w)) && !words.some((w) => NOT_PASSWORD_NAME_WORDS.has(w));
}

/** The password of a URL's userinfo (`scheme://user:password@host`), unless it is a placeholder. */
export function urlPassword(value: string): string | undefined {
  const match = CREDENTIAL_URL.exec(value);
  if (!match) return undefined;
  const password = match[2]!;
  if (isPlaceholder(password) || URL_PASSWORD_PLACEHOLDERS.has(password.toLowerCase()) || /^[$%{<]/.test(password)) return undefined;
  return password;
}

/** The value with a URL's password masked, the rest kept so the reader sees which URL it is. */
export function maskUrlPassword(value: string): string {
  return value.replace(CREDENTIAL_URL, (whole, user: string, password: string) => whole.replace(`${user}:${password}@`, `${user}:${'*'.repeat(Math.min(password.length, 8))}@`));
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Decide whether `value` under `name` is a literal secret. A token format counts under any name;
 * a known credential name counts with any non-placeholder value; a secret-ish name needs a long,
 * random-looking value (so `PASSWORD_MIN_LENGTH=12` style settings stay quiet).
 */
export function secretReason(name: string | undefined, value: string): SecretReason | undefined {
  // `HF_TOKEN: HF_TOKEN` is a reminder to fill it in, not a token.
  if (isPlaceholder(value) || (name !== undefined && value.trim().toUpperCase() === name.toUpperCase())) return undefined;
  const format = TOKEN_FORMATS.find((f) => f.pattern.test(value));
  if (format) return { kind: 'tokenFormat', format: format.name };
  if (urlPassword(value) !== undefined) return { kind: 'credentialUrl' };
  if (name === undefined) return undefined;
  if (KNOWN_SECRET_NAMES.has(name.toUpperCase())) return { kind: 'knownName' };
  if (isSecretName(name) && value.length >= ENTROPY_MIN_LENGTH && !/\s/.test(value) && entropy(value) >= ENTROPY_BITS_PER_CHAR) return { kind: 'entropy' };
  if (isPasswordName(name) && looksLikePassword(value)) return { kind: 'password' };
  return undefined;
}

/** A short literal that can be a password: one word of 4 to 128 characters that is not a setting (a boolean, a small number, a path, a URL). */
export function looksLikePassword(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= 4 && trimmed.length <= 128 && !/\s/.test(trimmed) && !NOT_PASSWORD_VALUES.some((p) => p.test(trimmed)) && !PASSWORD_NAME_WORDS.has(trimmed.toLowerCase());
}

/** Never print a secret: keep the first 4 characters of long values, mask the rest. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(Math.min(value.length - 4, 12))}`;
}

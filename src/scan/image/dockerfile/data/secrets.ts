/**
 * How secrets look in a Dockerfile. Names: a word of the variable name (split on `_`, `-`, `.`)
 * is one of SECRET_NAME_WORDS, and none is in NOT_SECRET_WORDS (public keys and paths are not
 * secrets). Values: token formats whose shape alone identifies them.
 */
export const SECRET_NAME_WORDS: ReadonlySet<string> = new Set([
  'apikey', 'auth', 'credential', 'credentials', 'passwd', 'password', 'pass', 'pwd', 'secret', 'token', 'privatekey', 'accesskey',
]);

/** Pairs of words that name a secret only together, e.g. API_KEY, ACCESS_KEY, PRIVATE_KEY. */
export const SECRET_NAME_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['signing', 'key'],
];

export const NOT_SECRET_WORDS: ReadonlySet<string> = new Set(['public', 'file', 'path', 'dir', 'url', 'id', 'type', 'name', 'length', 'user', 'username', 'header']);

export interface TokenFormat {
  name: string;
  pattern: RegExp;
}

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'OpenAI API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b/ },
  { name: 'private key', pattern: /-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/ },
];

export function isSecretName(name: string): boolean {
  const words = name.toLowerCase().split(/[_.-]+/).filter(Boolean);
  if (words.some((w) => NOT_SECRET_WORDS.has(w))) return false;
  if (words.some((w) => SECRET_NAME_WORDS.has(w))) return true;
  return SECRET_NAME_PAIRS.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
}

export function tokenFormatIn(value: string): TokenFormat | undefined {
  return TOKEN_FORMATS.find((format) => format.pattern.test(value));
}

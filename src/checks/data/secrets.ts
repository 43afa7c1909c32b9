/**
 * How a literal secret looks in a pod spec. Three signals, strongest first: a variable name that is
 * known to hold a credential in ML stacks, a value whose shape identifies a token, and a long random
 * value under a name that says "secret". Placeholders are templates, not secrets.
 */

/** Env names that always hold a credential (ML platforms and the clouds they pull models from). */
export const KNOWN_SECRET_NAMES: ReadonlySet<string> = new Set([
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'HUGGINGFACEHUB_API_TOKEN',
  'HF_API_TOKEN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'COHERE_API_KEY',
  'MISTRAL_API_KEY',
  'GROQ_API_KEY',
  'GOOGLE_API_KEY',
  'WANDB_API_KEY',
  'COMET_API_KEY',
  'NEPTUNE_API_TOKEN',
  'NGC_API_KEY',
  'VLLM_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'AZURE_STORAGE_KEY',
  'AZURE_STORAGE_CONNECTION_STRING',
  'MLFLOW_TRACKING_PASSWORD',
  'MLFLOW_TRACKING_TOKEN',
  'JUPYTER_TOKEN',
  'GITHUB_TOKEN',
  'KAGGLE_KEY',
  'REPLICATE_API_TOKEN',
  'PINECONE_API_KEY',
  'LANGCHAIN_API_KEY',
  'LANGSMITH_API_KEY',
  'REDIS_PASSWORD',
  'POSTGRES_PASSWORD',
  'MYSQL_ROOT_PASSWORD',
  'MINIO_ROOT_PASSWORD',
  'MINIO_SECRET_KEY',
]);

/** Words in an env name (split on `_`, `-`, `.`) that say it holds a secret. */
export const SECRET_NAME_WORDS: ReadonlySet<string> = new Set(['token', 'secret', 'password', 'passwd', 'apikey', 'credential', 'credentials', 'privatekey']);

/** Word pairs that say it only together: API_KEY, ACCESS_KEY, PRIVATE_KEY, SECRET_KEY. */
export const SECRET_NAME_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
];

/** Words that make a secret-looking name harmless: paths, ids, lengths, public halves. */
export const NOT_SECRET_WORDS: ReadonlySet<string> = new Set(['file', 'path', 'dir', 'url', 'uri', 'id', 'type', 'name', 'length', 'user', 'username', 'public', 'header', 'endpoint', 'ttl', 'expiry', 'mode', 'enabled', 'size']);

export interface TokenFormat {
  name: string;
  pattern: RegExp;
}

/** Values whose shape alone identifies a credential. */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { name: 'OpenAI API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b/ },
  { name: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'private key', pattern: /-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/ },
];

/** Template placeholders: `${VAR}`, `$(VAR)`, `$VAR`, `<token>`, `{{ .Values.x }}`, `changeme`, `xxx…`. */
export const PLACEHOLDER_PATTERNS: readonly RegExp[] = [/\$\{[^}]*\}/, /\$\([^)]*\)/, /^\$[A-Za-z_][A-Za-z0-9_]*$/, /<[^<>]+>/, /\{\{[^}]*\}\}/, /^(changeme|change-me|replace-?me|your[-_].*|xxx+|\*+|\.\.\.|todo|none|null|dummy|example|fake|test)$/i, /(insert|replace|placeholder|redacted)[-_ ]?(your|the|me|here)?/i];

/**
 * Documentation values that fill a credential field so an example runs, never live keys: AWS ends
 * every key it publishes in its docs with EXAMPLE (AKIAIOSFODNN7EXAMPLE, …EXAMPLEKEY), and vendor
 * samples write a token prefix followed by a capitalised word (`nvapi-NVKEY`, `hf_TOKEN`).
 */
export const EXAMPLE_SECRET_PATTERNS: readonly RegExp[] = [/^(?:AKIA|ASIA)[A-Z0-9]{4,12}EXAMPLE$/, /EXAMPLEKEY$/, /^[a-z]{2,8}[-_][A-Z]{2,12}$/];

/** Shannon entropy in bits per character above which a long value under a secret-ish name is random. */
export const ENTROPY_BITS_PER_CHAR = 3.5;
export const ENTROPY_MIN_LENGTH = 20;

/** Flags on a command line that carry a credential: `--api-key=…`, `--token …`, `--hf-token`. */
export const SECRET_FLAGS: readonly RegExp[] = [/^--?(api[-_]?key|token|hf[-_]token|password|secret|access[-_]key|secret[-_]key|auth[-_]token)$/i];

/**
 * How a literal secret looks in a pod spec, a Dockerfile or an image config. Three signals, strongest first: a variable name that is
 * known to hold a credential in ML stacks, a value whose shape identifies a token, and a long random
 * value under a name that says "secret". Placeholders are templates, not secrets.
 */

/**
 * Env names that always hold a credential (ML platforms and the clouds they pull models from), as
 * each vendor's SDK documents the variable it reads: huggingface_hub "Environment variables"
 * (HF_TOKEN, HUGGING_FACE_HUB_TOKEN), the OpenAI, Anthropic, Cohere, Mistral, Groq and Google SDKs,
 * Weights & Biases, Comet, Neptune, NVIDIA NGC, vLLM (VLLM_API_KEY), AWS/Azure SDKs, MLflow,
 * Jupyter, GitHub, Kaggle, Replicate, Pinecone, LangChain/LangSmith, and the official Redis,
 * PostgreSQL, MySQL and MinIO images.
 */
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
  // The key id is the public half of the pair, but it names the account and is half of a
  // credential; secret scanners (gitleaks `aws-access-token`) report it. Its `ID` word must not excuse it.
  'AWS_ACCESS_KEY_ID',
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
  // libpq reads the password from PGPASSWORD (PostgreSQL docs, "Environment Variables").
  'PGPASSWORD',
  'MYSQL_ROOT_PASSWORD',
  'MINIO_ROOT_PASSWORD',
  'MINIO_SECRET_KEY',
]);

/**
 * The public half of a key pair names the same credential as its secret half: when both are
 * literals in one container, the secret half is the one finding (one cause, one finding).
 */
export const KEY_ID_PAIRS: ReadonlyMap<string, string> = new Map([['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']]);

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

/**
 * Values whose shape alone identifies a credential, for pod env, Dockerfiles and image configs alike
 * (Anthropic's `sk-ant-` before OpenAI's `sk-`, which would also match it). Formats as the vendors
 * document them: Hugging Face User Access Tokens (hf_), OpenAI and Anthropic API keys, AWS access
 * key ids (AKIA/ASIA, IAM user guide "Understanding unique ID prefixes"), GitHub token prefixes
 * (github.blog 2021-04-05 "Behind GitHub's new authentication token formats"), Slack tokens (xox*),
 * Google API keys (AIza), PEM private keys (RFC 7468).
 */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { name: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'OpenAI API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  // RFC 7468 writes five dashes, but parsers (OpenSSL's PEM reader scans for "-----BEGIN ") and
  // copies in YAML vary: any run of dashes, any key type (ENCRYPTED, PGP … BLOCK).
  { name: 'private key', pattern: /-{2,} ?BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)? ?-{2,}/ },
];

/**
 * Name words that say "password" on their own: with one of these, a short literal that looks like a
 * password (`my_password=abc123`) is one, below the entropy gate that random tokens need.
 */
export const PASSWORD_NAME_WORDS: ReadonlySet<string> = new Set(['password', 'passwd', 'pwd', 'passphrase']);

/** Words that turn a password name into a setting about passwords: `PASSWORD_FILE`, `DB_PASSWORD_SECRET_NAME`, `PASSWORD_MIN_LENGTH`. */
export const NOT_PASSWORD_NAME_WORDS: ReadonlySet<string> = new Set(['file', 'path', 'dir', 'url', 'uri', 'length', 'min', 'max', 'enabled', 'enable', 'mode', 'size', 'ttl', 'expiry', 'type', 'header', 'policy', 'hash', 'algorithm', 'rotation', 'days', 'ref', 'key', 'secret', 'name', 'field', 'env', 'required', 'reset', 'auth', 'prompt']);

/** Values under a password name that are settings, not passwords. */
export const NOT_PASSWORD_VALUES: readonly RegExp[] = [/^(true|false|yes|no|on|off|enabled?|disabled?|required|optional|none|null|nil|empty|plain|md5|scram-sha-256|bcrypt|trust)$/i, /^\d{1,5}$/, /^(\.{0,2}\/|~\/)/, /^[a-z][a-z0-9+.-]*:\/\//i];

/**
 * A URL with a password in its userinfo (RFC 3986 §3.2.1 `user:password@host`, deprecated there for
 * this reason): `DATABASE_URL=postgres://app:s3cret@db:5432/app`, `redis://:pw@redis:6379`.
 */
export const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:@/?#]*):([^\s@/?#]+)@[^\s@]/i;

/** Passwords in URLs that only name the field (`postgres://user:password@host`) are placeholders. */
export const URL_PASSWORD_PLACEHOLDERS: ReadonlySet<string> = new Set(['password', 'pass', 'passwd', 'pwd', 'secret', 'pw', 'xxx', 'changeme', '****']);

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

/**
 * Names in a Dockerfile (ENV, ARG) or an image config: a word of the name (split on `_`, `-`, `.`)
 * is one of BUILD_SECRET_NAME_WORDS, and none is in BUILD_NOT_SECRET_WORDS (public keys and paths
 * are not secrets). Kept apart from the pod-env words above: the two were tuned on different inputs
 * (the ML manifest corpus; Dockerfiles of ML images), and merging them is a precision change to
 * review on both.
 */
export const BUILD_SECRET_NAME_WORDS: ReadonlySet<string> = new Set([
  'apikey', 'auth', 'credential', 'credentials', 'passwd', 'password', 'pass', 'pwd', 'secret', 'token', 'privatekey', 'accesskey',
]);

/** Pairs of words that name a secret only together, e.g. API_KEY, ACCESS_KEY, PRIVATE_KEY. */
export const BUILD_SECRET_NAME_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['signing', 'key'],
];

export const BUILD_NOT_SECRET_WORDS: ReadonlySet<string> = new Set(['public', 'file', 'path', 'dir', 'url', 'id', 'type', 'name', 'length', 'user', 'username', 'header']);

export function isSecretName(name: string): boolean {
  // A known credential name is one whatever its words say (AWS_ACCESS_KEY_ID's `id` does not excuse it).
  if (KNOWN_SECRET_NAMES.has(name.toUpperCase())) return true;
  const words = name.toLowerCase().split(/[_.-]+/).filter(Boolean);
  if (words.some((w) => BUILD_NOT_SECRET_WORDS.has(w))) return false;
  if (words.some((w) => BUILD_SECRET_NAME_WORDS.has(w))) return true;
  return BUILD_SECRET_NAME_PAIRS.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
}

export function tokenFormatIn(value: string): TokenFormat | undefined {
  return TOKEN_FORMATS.find((format) => format.pattern.test(value));
}

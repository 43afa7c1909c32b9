import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { KEY_ID_PAIRS, SECRET_FLAGS } from '../../knowledge/index.js';
import { isPasswordName, isPlaceholder, looksLikePassword, maskSecret, maskUrlPassword, secretReason, type SecretReason } from '../secrets.js';
import type { CheckReport, PodCheck } from '../types.js';

const Params = z.strictObject({
  /** Env names that hold non-secret values your stack happens to name like secrets. */
  ignoreNames: z.array(z.string().min(1)).default([]),
});

const ENV_MESSAGE: Record<SecretReason['kind'], string> = { knownName: 'envKnownName', tokenFormat: 'envTokenFormat', credentialUrl: 'envCredentialUrl', password: 'envPassword', entropy: 'envEntropy' };

export const secretLiteral: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'SECRET_LITERAL',
    family: 'audit',
    severity: 'high',
    title: 'Credential written in the manifest',
    description:
      'A literal credential in `env` or in the command line is stored in Git, in the API server, in `kubectl describe` and in every log that prints the pod. Detected by known names (HF_TOKEN, HUGGING_FACE_HUB_TOKEN, OPENAI_API_KEY, WANDB_API_KEY, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, MLFLOW_TRACKING_PASSWORD, …), by token formats (hf_…, sk-…, AKIA…, ghp_…, PEM private keys however many dashes) and URLs with a password (`postgres://app:pw@db`) under any name, by long random values under secret-like names, and by short password-shaped literals under password names (`DB_PASSWORD=abc123`, `my_password=abc123` in a shell line). A key id whose secret half is a literal in the same container (AWS_ACCESS_KEY_ID beside AWS_SECRET_ACCESS_KEY) is one credential and one finding, at the secret half. `valueFrom.secretKeyRef` is the fix and never reported; placeholders such as `${HF_TOKEN}` or `<token>` and published example keys (`AKIA…EXAMPLE`, `nvapi-NVKEY`) are not secrets. Messages show only a masked prefix of the value.',
    remediation: 'Move the value into a Secret and reference it with env[].valueFrom.secretKeyRef (or mount it as a file); then rotate the credential, it has been exposed.',
    frameworks: { 'nist-800-53': ['IA-5', 'SC-28'], 'mitre-atlas': ['AML.T0055'], cis: ['5.4.1'] },
    params: Params,
    defaultParams: { ignoreNames: [] },
    messages: {
      envKnownName: 'container "{container}" sets {name} to a literal credential ({masked})',
      envTokenFormat: 'container "{container}" sets {name} to a value in {format} format ({masked})',
      envEntropy: 'container "{container}" sets {name} to a literal random value that looks like a secret ({masked})',
      envCredentialUrl: 'container "{container}" sets {name} to a URL with a password in it ({masked})',
      envPassword: 'container "{container}" sets {name} to a literal password ({masked})',
      argument: 'container "{container}" passes a credential on the command line: {flag} {masked}',
      argumentToken: 'container "{container}" has a value in {format} format on its command line ({masked})',
    },
  },
  create({ ignoreNames }) {
    const ignored = new Set(ignoreNames);
    return (context) =>
      context.containers.flatMap((c) => {
        const out: CheckReport[] = [];
        const literal = (name: string): boolean => c.env.some((e) => e.name === name && e.value !== undefined && !ignored.has(name) && secretReason(name, e.value) !== undefined);
        for (const entry of c.env) {
          if (entry.value === undefined || ignored.has(entry.name)) continue;
          const reason = secretReason(entry.name, entry.value);
          if (!reason) continue;
          const secretHalf = KEY_ID_PAIRS.get(entry.name);
          if (secretHalf !== undefined && literal(secretHalf)) continue;
          out.push({ messageId: ENV_MESSAGE[reason.kind], data: { container: c.ref.name, name: entry.name, masked: reason.kind === 'credentialUrl' ? maskUrlPassword(entry.value) : maskSecret(entry.value), ...(reason.kind === 'tokenFormat' ? { format: reason.format } : {}) }, path: joinPointer(entry.path, 'value') });
        }
        for (const field of ['command', 'args']) {
          const list = c.ref.object[field];
          if (!Array.isArray(list)) continue;
          list.forEach((word, i) => {
            if (typeof word !== 'string') return;
            const found = argumentSecret(word, typeof list[i + 1] === 'string' ? (list[i + 1] as string) : undefined);
            if (found) out.push({ ...found, data: { container: c.ref.name, ...found.data }, path: joinPointer(c.ref.path, field, i) });
          });
        }
        return out;
      });
  },
};

/** `--api-key=…` or `--token …` with a literal value, or a token-shaped word anywhere (also inside `sh -c` strings). */
function argumentSecret(word: string, next: string | undefined): { messageId: string; data: Record<string, string> } | undefined {
  const tokens = word.split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const eq = token.indexOf('=');
    const flag = eq > 0 ? token.slice(0, eq) : token;
    // `my_password=abc123` (an assignment in a shell line, a `--db-password=…` flag): a password by name and shape.
    if (eq > 0 && isPasswordName(flag.replace(/^-+/, '')) && looksLikePassword(token.slice(eq + 1)) && !isPlaceholder(token.slice(eq + 1))) return { messageId: 'argument', data: { flag, masked: maskSecret(token.slice(eq + 1)) } };
    if (!SECRET_FLAGS.some((p) => p.test(flag))) continue;
    const value = eq > 0 ? token.slice(eq + 1) : (tokens[i + 1] ?? (tokens.length === 1 ? next : undefined));
    // Placeholders and file paths (`--token-file`-style values) are not credentials.
    if (value === undefined || value.startsWith('-') || isPlaceholder(value) || /^(\.{0,2}\/|~\/)/.test(value)) continue;
    return { messageId: 'argument', data: { flag, masked: maskSecret(value) } };
  }
  for (const token of tokens) {
    const reason = secretReason(undefined, token);
    if (reason?.kind === 'tokenFormat') return { messageId: 'argumentToken', data: { format: reason.format, masked: maskSecret(token) } };
    if (reason?.kind === 'credentialUrl') return { messageId: 'argumentToken', data: { format: 'credential URL', masked: maskUrlPassword(token) } };
  }
  return undefined;
}

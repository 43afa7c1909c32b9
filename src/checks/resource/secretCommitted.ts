import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { isPlainObject } from '../../core/object.js';
import { isPlaceholder, secretReason } from '../secrets.js';
import type { CheckReport, ResourceCheck } from '../types.js';

const Params = z.strictObject({
  /** ConfigMap keys that hold non-secret values your stack happens to name like secrets. */
  ignoreKeys: z.array(z.string().min(1)).default([]),
});

/** `key: value` or `key=value` on one line of a config file held in a ConfigMap (properties, env files, YAML). */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["']?([^"'\s#][^"'#]*?)["']?\s*(?:#.*)?$/;

/** Largest ConfigMap value scanned line by line: big embedded files (dashboards, scripts) are scanned for token formats only. */
const MAX_SCANNED_LINES = 2000;

export const secretCommitted: ResourceCheck<z.infer<typeof Params>> = {
  scope: 'resource',
  meta: {
    id: 'SECRET_COMMITTED',
    family: 'audit',
    severity: 'high',
    title: 'Credential committed in a Secret or ConfigMap manifest',
    description:
      'A Secret manifest with `data` or `stringData` values is a credential stored in Git: base64 is an encoding, not encryption, and everyone who can read the repository can read the secret. A ConfigMap is worse: it is meant for non-secret settings, is readable with wider RBAC than Secrets, and its values end up in logs and `kubectl describe`. ConfigMap `data` is judged with the rules of SECRET_LITERAL (known names, token formats, URLs with a password, random values under secret names, password-shaped literals under password names), key by key and, for embedded config files, line by line. Secrets are reported at low (the Secret is the right object; whether its manifest is kept in Git, palisade cannot see), ConfigMaps at high; empty values and placeholders (`${VAR}`, `{{ .Values.x }}`, `changeme`, base64 of a placeholder) are not secrets. One finding per object, with the keys listed.',
    remediation: 'Keep secrets out of the repository: create them from a secret manager (External Secrets Operator, Secrets Store CSI driver) or commit them encrypted (Sealed Secrets, SOPS); move credentials out of ConfigMaps into Secrets; rotate any credential that was committed.',
    frameworks: { 'nist-800-53': ['IA-5', 'SC-28'], 'mitre-atlas': ['AML.T0055'], 'mitre-attack': ['T1552.001'], cis: ['5.4.1'] },
    params: Params,
    defaultParams: { ignoreKeys: [] },
    messages: {
      secret: 'Secret "{name}" is committed with values in {field}: {keys}',
      configMap: 'ConfigMap "{name}" holds credentials in data: {keys}',
    },
  },
  create({ ignoreKeys }) {
    const ignored = new Set(ignoreKeys);
    return (context) => {
      const { ref, object } = context;
      if (ref.apiVersion !== 'v1') return [];
      if (ref.kind === 'Secret') return secretObject(ref.name, object);
      if (ref.kind === 'ConfigMap') return configMap(ref.name, object, ignored);
      return [];
    };
  },
};

function secretObject(name: string, object: Readonly<Record<string, unknown>>): CheckReport[] {
  const found: Array<{ field: string; key: string }> = [];
  for (const field of ['stringData', 'data']) {
    const values = object[field];
    if (!isPlainObject(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === undefined) continue;
      const text = field === 'data' ? decodeBase64(String(value)) : String(value);
      if (text.trim() === '' || isPlaceholder(text) || isPlaceholder(String(value))) continue;
      found.push({ field, key });
    }
  }
  if (found.length === 0) return [];
  const fields = [...new Set(found.map((f) => f.field))];
  return [{ messageId: 'secret', data: { name, field: fields.join(' and '), keys: found.map((f) => f.key).join(', ') }, path: joinPointer('', fields[0]!), severity: 'low' }];
}

function configMap(name: string, object: Readonly<Record<string, unknown>>, ignored: ReadonlySet<string>): CheckReport[] {
  const data = object.data;
  if (!isPlainObject(data)) return [];
  const keys = Object.entries(data).filter(([key, value]) => !ignored.has(key) && typeof value === 'string' && holdsCredential(key, value)).map(([key]) => key);
  if (keys.length === 0) return [];
  return [{ messageId: 'configMap', data: { name, keys: keys.join(', ') }, path: joinPointer('/data', keys[0]!) }];
}

/** A single-line value is judged under its key; a file's lines are judged as assignments, and every line for token formats. */
function holdsCredential(key: string, value: string): boolean {
  if (!value.includes('\n')) return secretReason(key, value) !== undefined;
  const lines = value.split('\n');
  for (const [i, line] of lines.entries()) {
    if (secretReason(undefined, line) !== undefined) return true;
    if (i >= MAX_SCANNED_LINES) continue;
    const match = ASSIGNMENT.exec(line);
    if (match && secretReason(match[1]!, match[2]!) !== undefined) return true;
  }
  return false;
}

/** Secret `data` is base64 (RFC 4648); a value that is not base64 is judged as written. */
function decodeBase64(value: string): string {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return value;
  return Buffer.from(compact, 'base64').toString('utf8');
}

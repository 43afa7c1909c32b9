import { readFileSync } from 'node:fs';
import { scanDockerfile } from '../../../../../src/scan/image/dockerfile/index.js';
import { HADOLINT_MAPPING } from './mapping.js';

export interface HadolintCase {
  rule: string;
  name: string;
  expect: 'fail' | 'pass';
  onbuild: boolean;
  allowedRegistries?: string[];
  dockerfile: string;
}

export const FIXTURES = JSON.parse(readFileSync(new URL('../../../../fixtures/hadolint/cases.json', import.meta.url), 'utf8')) as { commit: string; cases: HadolintCase[] };

/** Case key for the expectations file: rule, onbuild form, name and index among equal names. */
export function keyed(cases: readonly HadolintCase[]): Array<{ key: string; item: HadolintCase }> {
  const seen = new Map<string, number>();
  return cases.map((item) => {
    const base = `${item.rule}${item.onbuild ? ' onbuild' : ''} ${item.expect}: ${item.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base} #${n}`, item };
  });
}

/**
 * Whether palisade's mapped rule fires on a hadolint snippet. hadolint's unit snippets often hold no
 * FROM (they test one instruction); palisade judges instructions inside a stage, so such a snippet
 * is read after `FROM scratch` (a base that raises no finding of the mapped rules).
 */
export function fires(item: HadolintCase): boolean {
  const mapped = HADOLINT_MAPPING[item.rule];
  if (!mapped) throw new Error(`unmapped ${item.rule}`);
  const text = /^\s*FROM\b/im.test(item.dockerfile) ? item.dockerfile : `FROM scratch\n${item.dockerfile}`;
  const scan = scanDockerfile('Dockerfile', text, undefined, item.allowedRegistries ? { allowedRegistries: item.allowedRegistries } : {});
  return scan.findings.some((f) => f.checkId === mapped.palisade);
}

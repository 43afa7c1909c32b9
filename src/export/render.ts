import { stringify } from 'yaml';
import type { NotExported } from './policy.js';
import type { KubeObject } from './vap.js';

/**
 * A multi-document YAML stream. Checks that were not exported are listed in a leading comment
 * block with the reason, so a reviewer of the applied file sees them (and `--format json` lists them).
 */
export function renderYaml(objects: readonly KubeObject[], notExported: readonly NotExported[], header: string): string {
  const lines = [`# ${header}`];
  if (notExported.length > 0) {
    lines.push('# Not exported (palisade checks these; this engine cannot):');
    for (const item of notExported) lines.push(`#   ${item.id}: ${item.reason.replace(/\n/g, ' ')}`);
  }
  const docs = objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return `${lines.join('\n')}\n${docs.map((d) => `---\n${d}`).join('\n')}\n`;
}
